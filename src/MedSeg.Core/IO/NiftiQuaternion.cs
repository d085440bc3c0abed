using MedSeg.Core.Volumes;

namespace MedSeg.Core.IO;

/// <summary>
/// The NIfTI qform: a rotation given by the quaternion (a, b, c, d) with a = √(1 − b² − c² − d²), voxel sizes
/// pixdim[1..3], a handedness factor qfac = ±1 (pixdim[0]) on the third axis, and an offset. Conversions follow
/// <c>nifti1_io.c</c> (<c>nifti_quatern_to_mat44</c>, <c>nifti_mat44_to_quatern</c>).
/// </summary>
internal static class NiftiQuaternion
{
    /// <summary>The affine of a qform; non-positive voxel sizes count as 1, as nifti1_io does.</summary>
    public static Affine ToAffine(double b, double c, double d, double qfac, double dx, double dy, double dz, double ox, double oy, double oz)
    {
        double a = 1 - (b * b + c * c + d * d);
        if (a < 1e-7)
        {
            // A 180° rotation (or a quaternion rounded to slightly over unit length): a = 0 and (b, c, d) normalised.
            double norm = 1 / Math.Sqrt(b * b + c * c + d * d);
            b *= norm;
            c *= norm;
            d *= norm;
            a = 0;
        }
        else
        {
            a = Math.Sqrt(a);
        }
        dx = dx > 0 ? dx : 1;
        dy = dy > 0 ? dy : 1;
        dz = (dz > 0 ? dz : 1) * (qfac < 0 ? -1 : 1);
        return Affine.FromRows(
        [
            (a * a + b * b - c * c - d * d) * dx, 2 * (b * c - a * d) * dy, 2 * (b * d + a * c) * dz, ox,
            2 * (b * c + a * d) * dx, (a * a + c * c - b * b - d * d) * dy, 2 * (c * d - a * b) * dz, oy,
            2 * (b * d - a * c) * dx, 2 * (c * d + a * b) * dy, (a * a + d * d - c * c - b * b) * dz, oz,
        ]);
    }

    /// <summary>
    /// The qform closest to <paramref name="affine"/>: voxel sizes are the column lengths, the rotation is the
    /// orthogonal matrix nearest to the normalised columns (a sheared affine has no exact qform).
    /// </summary>
    public static (double B, double C, double D, double QFac, double Dx, double Dy, double Dz) FromAffine(Affine affine)
    {
        var r = new double[3, 3];
        var spacing = affine.Spacing;
        for (int col = 0; col < 3; col++)
        {
            double length = spacing[col];
            for (int row = 0; row < 3; row++)
            {
                r[row, col] = length > 0 ? affine[row, col] / length : (row == col ? 1 : 0);
            }
        }
        Orthogonalize(r);
        double qfac = 1;
        if (Determinant(r) < 0)
        {
            qfac = -1;
            for (int row = 0; row < 3; row++)
            {
                r[row, 2] = -r[row, 2];
            }
        }
        double a = r[0, 0] + r[1, 1] + r[2, 2] + 1, b, c, d;
        if (a > 0.5)
        {
            a = 0.5 * Math.Sqrt(a);
            b = 0.25 * (r[2, 1] - r[1, 2]) / a;
            c = 0.25 * (r[0, 2] - r[2, 0]) / a;
            d = 0.25 * (r[1, 0] - r[0, 1]) / a;
        }
        else
        {
            double xd = 1 + r[0, 0] - (r[1, 1] + r[2, 2]);
            double yd = 1 + r[1, 1] - (r[0, 0] + r[2, 2]);
            double zd = 1 + r[2, 2] - (r[0, 0] + r[1, 1]);
            if (xd > 1)
            {
                b = 0.5 * Math.Sqrt(xd);
                c = 0.25 * (r[0, 1] + r[1, 0]) / b;
                d = 0.25 * (r[0, 2] + r[2, 0]) / b;
                a = 0.25 * (r[2, 1] - r[1, 2]) / b;
            }
            else if (yd > 1)
            {
                c = 0.5 * Math.Sqrt(yd);
                b = 0.25 * (r[0, 1] + r[1, 0]) / c;
                d = 0.25 * (r[1, 2] + r[2, 1]) / c;
                a = 0.25 * (r[0, 2] - r[2, 0]) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd);
                b = 0.25 * (r[0, 2] + r[2, 0]) / d;
                c = 0.25 * (r[1, 2] + r[2, 1]) / d;
                a = 0.25 * (r[1, 0] - r[0, 1]) / d;
            }
            if (a < 0)
            {
                (b, c, d) = (-b, -c, -d);
            }
        }
        return (b, c, d, qfac, spacing.X, spacing.Y, spacing.Z);
    }

    /// <summary>Replaces <paramref name="r"/> by its polar factor, the nearest orthogonal matrix: R ← (R + R⁻ᵀ)/2 until it settles.</summary>
    private static void Orthogonalize(double[,] r)
    {
        for (int iteration = 0; iteration < 50; iteration++)
        {
            double det = Determinant(r);
            if (Math.Abs(det) < 1e-12)
            {
                return;
            }
            // R⁻ᵀ = cofactor matrix / det.
            var next = new double[3, 3];
            double change = 0;
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
                    double cofactor = r[i1, j1] * r[i2, j2] - r[i1, j2] * r[i2, j1];
                    next[i, j] = 0.5 * (r[i, j] + cofactor / det);
                    change = Math.Max(change, Math.Abs(next[i, j] - r[i, j]));
                }
            }
            Array.Copy(next, r, 9);
            if (change < 1e-14)
            {
                return;
            }
        }
    }

    private static double Determinant(double[,] r) =>
        r[0, 0] * (r[1, 1] * r[2, 2] - r[1, 2] * r[2, 1]) - r[0, 1] * (r[1, 0] * r[2, 2] - r[1, 2] * r[2, 0]) + r[0, 2] * (r[1, 0] * r[2, 1] - r[1, 1] * r[2, 0]);
}
