using System.Diagnostics;
using System.Text.Json;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Tests.Core.IO;

/// <summary>MedSeg's NIfTI reader and writer against nibabel, the reference implementation, in both directions.</summary>
public class NiftiNibabelTests
{
    /// <summary>Prints, for each file given, nibabel's affine, sform/qform codes, data type, shape and scaled data (NIfTI order).</summary>
    private const string Describe = """
        import json, sys
        import nibabel as nib
        out = []
        for path in sys.argv[1:]:
            img = nib.load(path)
            hdr = img.header
            out.append({
                "affine": img.affine.tolist(),
                "qform": hdr.get_qform().tolist(),
                "codes": [int(hdr["qform_code"]), int(hdr["sform_code"])],
                "dtype": str(img.get_data_dtype()),
                "shape": list(img.shape),
                "data": img.get_fdata().ravel(order="F").tolist(),
            })
        print(json.dumps(out))
        """;

    /// <summary>Writes, with nibabel, a big-endian int16 file with scaling and only a qform, and a NIfTI-2 float64 file with only an sform.</summary>
    private const string WriteReference = """
        import sys
        import numpy as np
        import nibabel as nib
        a = np.array([[0.0, 0.0, 2.5, -30.0], [-1.2, 0.1, 0.0, 40.0], [0.0, -1.2, 0.05, 12.5], [0, 0, 0, 1]])
        data = (np.arange(4 * 3 * 2, dtype=np.int16).reshape((4, 3, 2)) * 37 - 300).astype(np.int16)
        hdr = nib.Nifti1Header(endianness=">")
        img = nib.Nifti1Image(data, None, header=hdr)
        img.set_qform(a, code=1)
        img.set_sform(None, code=0)
        img.header.set_slope_inter(0.25, -7.0)
        img.set_data_dtype(np.int16)
        nib.save(img, sys.argv[1])
        f = np.linspace(-1.5, 2.5, 2 * 3 * 5).reshape((2, 3, 5)).astype(np.float64)
        img2 = nib.Nifti2Image(f, a)
        img2.set_qform(None, code=0)
        img2.set_sform(a, code=2)
        nib.save(img2, sys.argv[2])
        """;

    [NiftiNibabelFact]
    public void Nibabel_reads_what_MedSeg_writes()
    {
        using var folder = new TempFolder();
        var geometry = new VolumeGeometry(
            new VolumeShape(4, 3, 2),
            Affine.FromRows([-0.9397 * 1.5, -0.342 * 1.5, 0, 120.25, -0.342 * 1.5, 0.9397 * 1.5, 0, -80.5, 0, 0, 3, -42]));
        var image = new Volume<float>(geometry, Enumerable.Range(0, 24).Select(i => i * 1.25f - 7).ToArray());
        var labels = new Volume<ushort>(geometry, Enumerable.Range(0, 24).Select(i => (ushort)(i % 4)).ToArray());
        string imagePath = folder.Combine("image.nii.gz"), labelPath = folder.Combine("labels.nii");
        Nifti.WriteImage(imagePath, image);
        Nifti.WriteLabels(labelPath, labels);

        var described = Run(Describe, imagePath, labelPath);

        foreach (var (file, volume) in new[] { (described[0], image.Voxels.Select(v => (double)v)), (described[1], labels.Voxels.Select(v => (double)v)) })
        {
            AssertMatrix(geometry.Affine, file.GetProperty("affine"), 1e-5);
            AssertMatrix(geometry.Affine, file.GetProperty("qform"), 1e-4);
            Assert.Equal([1, 1], file.GetProperty("codes").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([4, 3, 2], file.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(volume, file.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()));
        }
        Assert.Equal("float32", described[0].GetProperty("dtype").GetString());
        Assert.Equal("uint8", described[1].GetProperty("dtype").GetString());
    }

    [NiftiNibabelFact]
    public void MedSeg_reads_what_nibabel_writes()
    {
        using var folder = new TempFolder();
        string big = folder.Combine("big.nii.gz"), two = folder.Combine("two.nii");
        Run(WriteReference, big, two);

        var described = Run(Describe, big, two);

        foreach (var (path, reference) in new[] { (big, described[0]), (two, described[1]) })
        {
            var volume = Nifti.Read(path);
            AssertMatrix(volume.Header.Affine, reference.GetProperty("affine"), 1e-6);
            Assert.Equal(reference.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), volume.Header.Shape.ToArray());
            Assert.Equal(reference.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()), volume.ToDoubles());
        }
        Assert.True(Nifti.ReadHeader(big).BigEndian);
        Assert.Equal(NiftiAffineSource.QForm, Nifti.ReadHeader(big).AffineSource);
        Assert.Equal(2, Nifti.ReadHeader(two).Version);
        Assert.Equal(NiftiAffineSource.SForm, Nifti.ReadHeader(two).AffineSource);
    }

    private static JsonElement[] Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo(NiftiNibabelFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        return stdout.Length == 0 ? [] : JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray();
    }

    private static void AssertMatrix(Affine expected, JsonElement rows, double tolerance)
    {
        var values = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                Assert.True(Math.Abs(expected[r, c] - values[r][c]) <= tolerance, $"entry ({r}, {c}): MedSeg {expected[r, c]}, nibabel {values[r][c]}");
            }
        }
    }
}
