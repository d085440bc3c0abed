using MedSeg.Core;
using MedSeg.Torch.Losses;

namespace MedSeg.Tests.Torch.Losses;

/// <summary>The <c>--loss</c> grammar: what parses, how it resolves and how errors read.</summary>
public sealed class LossDescriptionTests
{
    [Theory]
    [InlineData("bce:0.5+dice:0.5", "bce(pos_weight=1):0.5+dice(smooth=0):0.5")]
    [InlineData("focal+dice", "focal(gamma=2,alpha=none):1+dice(smooth=0):1")]
    [InlineData(" tversky ( alpha = 0.7 , beta=0.3 ) ", "tversky(alpha=0.7,beta=0.3,smooth=0):1")]
    [InlineData("BCE(pos_weight=3):1e-1+focal_tversky(gamma=1.5)", "bce(pos_weight=3):0.1+focal_tversky(alpha=0.5,beta=0.5,gamma=1.5,smooth=0):1")]
    [InlineData("lovasz(per_image=false):2+dice()", "lovasz(per_image=false):2+dice(smooth=0):1")]
    public void DescriptionsResolveEveryParameter(string text, string resolved)
    {
        var loss = SegmentationLoss.Parse(text);
        Assert.Equal(resolved, loss.ToString());
        Assert.Equal(resolved, SegmentationLoss.Parse(resolved).ToString());
    }

    [Fact]
    public void HelpListsEveryTermWithItsDefaults()
    {
        Assert.Equal(8, SegmentationLoss.TermHelp.Count);
        Assert.Contains(SegmentationLoss.TermHelp, line => line.StartsWith("focal_tversky(alpha=0.5,beta=0.5,gamma=0.75,smooth=0): "));
        Assert.Contains(SegmentationLoss.TermHelp, line => line.StartsWith("margin(m_plus=0.9,m_minus=0.1,lambda=0.5): "));
    }

    [Fact]
    public void TermsExposeNameWeightAndParameters()
    {
        var term = SegmentationLoss.Parse("focal(alpha=0.25):0.5").Terms.Single();
        Assert.Equal("focal", term.Name);
        Assert.Equal(0.5, term.Weight);
        Assert.Equal(2.0, term.Parameters["gamma"]);
        Assert.Equal(0.25, term.Parameters["alpha"]);
    }

    [Theory]
    [InlineData("", "a term name is expected")]
    [InlineData("bce+", "a term name is expected")]
    [InlineData("hausdorff", "'hausdorff' is not a loss term")]
    [InlineData("bce:x", "weight of 'bce'")]
    [InlineData("bce:-1", "weight of 'bce'")]
    [InlineData("bce:1:2", "':2' is not understood")]
    [InlineData("dice(smoth=1)", "'dice' has no parameter 'smoth'; valid: smooth")]
    [InlineData("ce", "'ce' does not work in multilabel mode")]
    [InlineData("focal(gamma=-1)", "'focal' parameter 'gamma' must be a number ≥ 0")]
    [InlineData("focal(alpha=2)", "'alpha' must be a number in [0, 1]")]
    [InlineData("focal(gamma)", "parameter 'gamma' must be")]
    [InlineData("focal(gamma=1,gamma=2)", "given twice")]
    [InlineData("tversky(alpha=0.7", "closing ')'")]
    [InlineData("lovasz(per_image=yes)", "must be true or false")]
    public void InvalidDescriptionsNameTheOptionTheProblemAndTheValidTerms(string text, string problem)
    {
        var error = Assert.Throws<MedSegException>(() => SegmentationLoss.Parse(text));
        Assert.StartsWith($"--loss '{text}': ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Contains("bce(pos_weight=1), ce, dice(smooth=0), focal(gamma=2,alpha=none)", error.Message);
        Assert.Contains("lovasz(per_image=true)", error.Message);
    }

    [Theory]
    [InlineData("bce", "'bce' does not work in multiclass mode; it needs binary or multilabel mode (use ce")]
    [InlineData("focal(alpha=0.25)", "'focal' parameter 'alpha' does not apply in multiclass mode")]
    public void MulticlassModeRejectsSigmoidOnlyTermsAndParameters(string text, string problem)
    {
        var error = Assert.Throws<MedSegException>(() => SegmentationLoss.Parse(text, LossMode.Multiclass));
        Assert.Contains(problem, error.Message);
    }
}
