using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Data;

/// <summary>What <c>predict --data</c> accepts besides a dataset: one NIfTI file, or a plain folder of them, channels grouped by suffix.</summary>
public sealed class NiftiImageSetTests
{
    private static readonly VolumeGeometry Grid = new(new VolumeShape(4, 3, 2), Affine.Diagonal(0.8, 0.8, 4));

    private static void Image(string path) => Nifti.WriteImage(path, new Volume<float>(Grid, Enumerable.Range(0, 24).Select(v => (float)v).ToArray()));

    [Fact]
    public void ASingleFileIsOneCaseNamedByItsStem()
    {
        using var folder = new TempFolder();
        Image(folder.Combine("scan.nii.gz"));
        Image(folder.Combine("other.nii"));

        Assert.True(NiftiImageSet.Accepts(folder.Combine("scan.nii.gz")));
        var set = NiftiImageSet.Load(folder.Combine("scan.nii.gz"));
        Assert.Equal("scan", Assert.Single(set.Cases).Id);
        Assert.Null(set.Classes);
        Assert.Equal("other", NiftiImageSet.Load(folder.Combine("other.nii")).Cases.Single().Id);
    }

    [Fact]
    public void AChannelZeroFileBringsItsSiblingChannels()
    {
        using var folder = new TempFolder();
        Image(folder.Combine("mr_0000.nii.gz"));
        Image(folder.Combine("mr_0001.nii.gz"));

        var only = Assert.Single(NiftiImageSet.Load(folder.Combine("mr_0000.nii.gz")).Cases);
        Assert.Equal("mr", only.Id);
        Assert.Equal(2, only.ImagePaths.Count);
        Assert.Equal(2, only.ReadImage().Channels);
    }

    [Fact]
    public void APlainFolderGroupsChannelsAndSkipsHiddenFiles()
    {
        using var folder = new TempFolder();
        Image(folder.Combine("b_0000.nii.gz"));
        Image(folder.Combine("b_0001.nii.gz"));
        Image(folder.Combine("a.nii"));
        File.WriteAllText(folder.Combine(".DS_Store"), "");

        Assert.True(NiftiImageSet.Accepts(folder.Path));
        var set = NiftiImageSet.Load(folder.Path);
        Assert.Equal(["a", "b"], set.Cases.Select(c => c.Id));
        Assert.Equal([1, 2], set.Cases.Select(c => c.ImagePaths.Count));
        Assert.Equal(folder.Path, set.Source);
    }

    [Fact]
    public void BadFoldersAreOneErrorNamingTheFile()
    {
        using var folder = new TempFolder();
        Image(folder.Combine("b_0001.nii.gz"));
        var missing = Assert.Throws<MedSegException>(() => NiftiImageSet.Load(folder.Path));
        Assert.Contains(folder.Combine("b_0000.nii.gz"), missing.Message);

        File.WriteAllText(folder.Combine("notes.txt"), "");
        Image(folder.Combine("b_0000.nii.gz"));
        var stray = Assert.Throws<MedSegException>(() => NiftiImageSet.Load(folder.Path));
        Assert.Contains(folder.Combine("notes.txt"), stray.Message);

        using var empty = new TempFolder();
        Assert.False(NiftiImageSet.Accepts(empty.Path));
        Assert.Throws<MedSegException>(() => NiftiImageSet.Load(empty.Path));
    }
}
