using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Data;

/// <summary>nnU-Net raw data → the slice representation training reads: exact integer intensities, one mapping per volume, masks per class, clear errors.</summary>
public sealed class NnUnetSlicesTests
{
    // An oblique LPS-like grid, so the slice stack is a real reordering of the voxels.
    private static readonly VolumeGeometry Grid = new(
        new VolumeShape(6, 5, 4), Affine.FromRows([-0.8, 0.1, 0, 40, -0.1, -0.8, 0, 25.5, 0, 0, 2.5, -100]));

    private static readonly string[] Labels = ["background", "liver", "tumour"];

    /// <summary>A CT-like volume: whole Hounsfield units from −1024 (air) to 1500 (bone).</summary>
    private static Volume<short> Ct(int seed)
    {
        var random = new Random(seed);
        var voxels = new short[Grid.Shape.VoxelCount];
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = (short)random.Next(-1024, 1501);
        }
        voxels[0] = -1024;
        return new Volume<short>(Grid, voxels);
    }

    private static Volume<ushort> LabelMap(int seed)
    {
        var random = new Random(seed);
        var voxels = new ushort[Grid.Shape.VoxelCount];
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = (ushort)random.Next(0, Labels.Length);
        }
        return new Volume<ushort>(Grid, voxels);
    }

    /// <summary>Writes a raw dataset by hand (images in their own data type, as scanners export them).</summary>
    private static string Dataset<T>(TempFolder folder, IReadOnlyList<string> channels, params (string Id, Volume<T> Image, Volume<ushort> Labels)[] cases)
        where T : unmanaged
    {
        var root = folder.Combine("Dataset007_Ct");
        Directory.CreateDirectory(Path.Combine(root, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(root, "labelsTr"));
        File.WriteAllText(Path.Combine(root, "dataset.json"), new NnUnetDatasetInfo(channels, Labels, cases.Length).ToJson());
        foreach (var (id, image, labels) in cases)
        {
            for (var c = 0; c < channels.Count; c++)
            {
                Nifti.Write(Path.Combine(root, "imagesTr", $"{id}_{c:D4}.nii.gz"), image);
            }
            Nifti.WriteLabels(Path.Combine(root, "labelsTr", $"{id}.nii.gz"), labels);
        }
        return root;
    }

    [Fact]
    public void CtHounsfieldUnitsRoundTripExactlyAndMasksFollowTheLabels()
    {
        using var folder = new TempFolder();
        var ct = Ct(1);
        var labels = LabelMap(2);
        var root = Dataset(folder, ["CT"], ("ct_1", ct, labels));

        var data = NnUnetSlices.Write(NnUnetDataset.Load(root), folder.Combine("pre"));

        Assert.Equal(["liver", "tumour"], data.Classes);
        var caseDay = Assert.Single(data.CaseDays);
        Assert.Equal(new IntensityMapping(-1024, 1, true), caseDay.Intensity);
        var orientation = new SliceStackOrientation(Grid);
        var hu = orientation.ToStack(ct);
        var expectedLabels = orientation.ToStack(labels);
        var plane = orientation.Height * orientation.Width;
        Assert.Equal(orientation.Depth, caseDay.Slices.Count);
        for (var d = 0; d < caseDay.Slices.Count; d++)
        {
            var slice = caseDay.Slices[d];
            var decoded = slice.ReadImage().Select(s => caseDay.Intensity!.Original(s)).ToArray();
            Assert.Equal(hu.AsSpan(d * plane, plane).ToArray().Select(v => (float)v), decoded);
            for (var k = 0; k < 2; k++)
            {
                var expected = expectedLabels.AsSpan(d * plane, plane).ToArray().Select(v => v == k + 1 ? (byte)1 : (byte)0);
                Assert.Equal(expected, slice.DecodeMask(k));
            }
        }
        Assert.False(File.Exists(Path.Combine(root, "train.csv")), "the raw dataset must not be written to");
    }

    [Fact]
    public void WindowNormalisationOfPreprocessedCtIsInHounsfieldUnits()
    {
        using var folder = new TempFolder();
        var ct = Ct(3);
        var root = Dataset(folder, ["CT"], ("ct_1", ct, LabelMap(4)));
        var caseDay = NnUnetSlices.Write(NnUnetDataset.Load(root), folder.Combine("pre")).CaseDays[0];
        var window = IntensityNormalisation.Parse("window:-100:300");
        var hu = new SliceStackOrientation(Grid).ToStack(ct);

        var stored = caseDay.Slices[0].ReadImage();
        var output = new float[stored.Length];
        window.Apply(stored, caseDay.Intensity, output);

        for (var p = 0; p < output.Length; p++)
        {
            var expected = (Math.Clamp((int)hu[p], -100, 300) + 100) / 400.0;
            Assert.Equal(expected, output[p], 1e-6);
        }
    }

    [Fact]
    public void WithoutAMappingNormalisationsGiveExactlyTheUnmappedValues()
    {
        var pixels = new ushort[] { 0, 7, 300, 1200, 65535, 42 };
        foreach (var form in new[] { "per-image-max", "zscore", "percentile:1:99", "window:10:2000" })
        {
            var normalisation = IntensityNormalisation.Parse(form);
            var plain = new float[pixels.Length];
            var viaOverload = new float[pixels.Length];
            normalisation.Apply(pixels, plain);
            normalisation.Apply(pixels, null, viaOverload);
            Assert.Equal(plain, viaOverload);
        }
    }

    [Fact]
    public void FloatVolumesMapLinearlyWithOneScaleForAllSlices()
    {
        // Slice z holds (z + 1) × a pattern: per-slice scaling would make every slice reach 65535.
        var values = new float[Grid.Shape.VoxelCount];
        var plane = Grid.Shape.X * Grid.Shape.Y;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i / plane + 1) * (0.25f + i % plane * 0.173f);
        }
        var mapping = IntensityMapping.Of(values);

        Assert.False(mapping.Exact);
        Assert.Equal(0, mapping.Offset);
        Assert.Equal(values.Max() / 65535.0, mapping.Scale, 1e-12);
        foreach (var v in values)
        {
            Assert.Equal(v, mapping.Original(mapping.Store(v)), mapping.Scale / 2 + 1e-5);
        }
        using var folder = new TempFolder();
        var root = Dataset(folder, ["MR"], ("mr_1", new Volume<float>(Grid, values), LabelMap(5)));
        var caseDay = NnUnetSlices.Write(NnUnetDataset.Load(root), folder.Combine("pre")).CaseDays[0];
        var maxima = caseDay.Slices.Select(s => (int)s.ReadImage().Max()).ToArray();
        Assert.Equal(65535, maxima.Max());
        Assert.Contains(maxima, m => m < 40000);
        Assert.Equal(mapping, caseDay.Intensity);
    }

    [Fact]
    public void IntegerDataWithoutNegativesIsStoredAsItIs()
    {
        Assert.Equal(new IntensityMapping(0, 1, true), IntensityMapping.Of([0f, 3f, 65535f]));
        Assert.Equal(new IntensityMapping(-32768, 1, true), IntensityMapping.Of([-32768f, 0f, 32767f]));
        var wide = IntensityMapping.Of([0f, 70000f]);
        Assert.False(wide.Exact);
        Assert.Equal(65535, wide.Store(70000f));
    }

    [Fact]
    public void NiftiInputForRunsWithTheRuleIsStoredAsTrainingStoredIt()
    {
        using var folder = new TempFolder();
        var ct = Ct(6);
        var image = new Volume<float>(Grid, ct.Voxels.Select(v => (float)v).ToArray());
        var orientation = new SliceStackOrientation(Grid);

        var mapped = NiftiCaseDay.Write(orientation.ToStacks(image), orientation.Grid, folder.Combine("mapped"), perVolumeIntensity: true);
        var legacy = NiftiCaseDay.Write(orientation.ToStacks(image), orientation.Grid, folder.Combine("legacy"));

        Assert.Equal(IntensityMapping.Of(orientation.ToStack(image)), mapped.Intensity);
        Assert.Null(legacy.Intensity);
        var hu = orientation.ToStack(image);
        var plane = orientation.Height * orientation.Width;
        Assert.Equal(hu.AsSpan(0, plane).ToArray(), mapped.Slices[0].ReadImage().Select(s => mapped.Intensity!.Original(s)));
        // Runs trained on PNGs keep seeing negatives clamped and each slice scaled to its own maximum, as before.
        Assert.Equal(65535, legacy.Slices[0].ReadImage().Max());
        Assert.Equal(0, legacy.Slices[0].ReadImage().Min());
    }

    [Fact]
    public void EveryChannelIsStoredWithItsOwnMappingBesideChannelZero()
    {
        using var folder = new TempFolder();
        var root = Dataset(folder, ["T1", "T2"], ("mr_1", Ct(7), LabelMap(8)));
        var t2 = new Volume<float>(Grid, Ct(9).Voxels.Select(v => v * 0.25f + 3000).ToArray());
        Nifti.WriteImage(Path.Combine(root, "imagesTr", "mr_1_0001.nii.gz"), t2);

        var data = NnUnetSlices.Write(NnUnetDataset.Load(root), folder.Combine("pre"));

        Assert.Equal(2, data.Channels);
        var orientation = new SliceStackOrientation(Grid);
        var plane = orientation.Height * orientation.Width;
        var slice = data.CaseDays[0].Slices[1];
        Assert.EndsWith(Path.Combine("case1_day0", "scans_0001", Path.GetFileName(slice.ImagePath)), slice.ChannelPaths[1]);
        var t1Stack = orientation.ToStack(new Volume<float>(Grid, Ct(7).Voxels.Select(v => (float)v).ToArray()));
        var t2Stack = orientation.ToStack(t2);
        Assert.Equal(IntensityMapping.Of(t2Stack), slice.IntensityOf(1));
        Assert.Equal(t1Stack.AsSpan(plane, plane).ToArray(), slice.ReadImage(0).Select(v => slice.IntensityOf(0)!.Original(v)));
        var t2Back = slice.ReadImage(1).Select(v => slice.IntensityOf(1)!.Original(v)).ToArray();
        for (var p = 0; p < plane; p++)
        {
            Assert.Equal(t2Stack[plane + p], t2Back[p], slice.IntensityOf(1)!.Scale / 2 + 1e-3);
        }
    }

    [Fact]
    public void AMissingChannelFileIsOneErrorNamingIt()
    {
        using var folder = new TempFolder();
        var root = Dataset(folder, ["T1", "T2"], ("mr_1", Ct(7), LabelMap(8)), ("mr_2", Ct(9), LabelMap(10)));
        File.Delete(Path.Combine(root, "imagesTr", "mr_2_0001.nii.gz"));
        var error = Assert.Throws<MedSegException>(() => NnUnetDataset.Load(root));
        Assert.Contains(Path.Combine(root, "imagesTr", "mr_2_0001.nii.gz"), error.Message);
    }

    [Fact]
    public void ATargetSpacingResamplesImagesLinearlyAndLabelsByNearestNeighbour()
    {
        using var folder = new TempFolder();
        var root = Dataset(folder, ["CT"], ("ct_1", Ct(7), LabelMap(8)));
        var dataset = NnUnetDataset.Load(root);
        // The stack of Grid is 4 slices of 2.5 mm, 5 rows and 6 columns of about 0.806 mm.
        var native = NnUnetSlices.MedianSpacing(dataset);
        Assert.Equal(2.5, native.Depth, 6);
        Assert.Equal(Math.Sqrt(0.65), native.Width, 6);

        var data = NnUnetSlices.Write(dataset, folder.Combine("pre"), new StackSpacing(1.25, native.Height, native.Width));

        var caseDay = data.CaseDays[0];
        Assert.Equal(8, caseDay.Slices.Count);
        Assert.Equal((5, 6), (caseDay.Slices[0].Height, caseDay.Slices[0].Width));
        var labels = Enumerable.Range(0, 8).SelectMany(d => Enumerable.Range(0, Labels.Length - 1).Select(c => caseDay.Slices[d].DecodeMask(c).Sum(v => v))).Sum();
        Assert.Equal(2 * LabelMap(8).Voxels.Count(v => v > 0), labels);
        Assert.Throws<MedSegException>(() => NnUnetSlices.Open(folder.Combine("pre"), dataset));
        Assert.Single(NnUnetSlices.Open(folder.Combine("pre"), dataset, new StackSpacing(1.25, native.Height, native.Width)).CaseDays);
    }

    [Fact]
    public void LabelMapsOnAnotherGridOrWithUnknownLabelsNameTheFile()
    {
        using var folder = new TempFolder();
        var shifted = new Volume<ushort>(new VolumeGeometry(Grid.Shape, Affine.Diagonal(1, 1, 1)), LabelMap(9).Voxels);
        var root = Dataset(folder, ["CT"], ("ct_1", Ct(10), LabelMap(11)), ("ct_2", Ct(12), shifted));
        var target = folder.Combine("pre");
        var error = Assert.Throws<MedSegException>(() => NnUnetSlices.Write(NnUnetDataset.Load(root), target));
        Assert.Contains(Path.Combine("labelsTr", "ct_2.nii.gz"), error.Message);
        Assert.Contains("another grid", error.Message);
        Assert.False(Directory.Exists(target));

        var bad = LabelMap(13);
        bad.Voxels[5] = 7;
        var other = new TempFolder();
        using (other)
        {
            var root2 = Dataset(other, ["CT"], ("ct_1", Ct(14), bad));
            error = Assert.Throws<MedSegException>(() => NnUnetSlices.Write(NnUnetDataset.Load(root2), other.Combine("pre")));
            Assert.Contains(Path.Combine("labelsTr", "ct_1.nii.gz"), error.Message);
            Assert.Contains("value 7", error.Message);
        }
    }

    [Fact]
    public void APreprocessedFolderOpensOnlyForTheDatasetItCameFrom()
    {
        using var folder = new TempFolder();
        var root = Dataset(folder, ["CT"], ("ct_1", Ct(15), LabelMap(16)), ("ct_2", Ct(17), LabelMap(18)));
        var target = folder.Combine("pre");
        NnUnetSlices.Write(NnUnetDataset.Load(root), target);

        Assert.Equal(2, NnUnetSlices.Open(target, NnUnetDataset.Load(root)).CaseDays.Count);
        File.Delete(Path.Combine(root, "imagesTr", "ct_2_0000.nii.gz"));
        File.Delete(Path.Combine(root, "labelsTr", "ct_2.nii.gz"));
        File.WriteAllText(Path.Combine(root, "dataset.json"), new NnUnetDatasetInfo(["CT"], Labels, 1).ToJson());
        var error = Assert.Throws<MedSegException>(() => NnUnetSlices.Open(target, NnUnetDataset.Load(root)));
        Assert.Contains("delete", error.Message);
    }
}
