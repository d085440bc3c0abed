using System.CommandLine;
using MedSeg.Cli.Commands;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Cli;

/// <summary>Options whose defaults follow the mode stay unset unless given, so the mode chosen afterwards decides them.</summary>
public sealed class TrainOptionsTests
{
    private static TrainConfig Parse(TrainConfig config, params string[] args)
    {
        var options = new TrainOptions();
        var command = new Command("train");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }
        return options.Apply(command.Parse(args), config);
    }

    [Fact]
    public void Oversample_foreground_follows_the_mode_unless_given()
    {
        var notGiven = Parse(new TrainConfig());
        Assert.Equal(TrainConfig.DefaultOversampleForeground, (notGiven with { Mode = "2.5d" }).OversampleForeground);
        Assert.Equal(TrainConfig.DefaultOversampleForeground, (notGiven with { Mode = "3d" }).OversampleForeground);
        Assert.Equal(0, (notGiven with { Mode = "2d" }).OversampleForeground);
        Assert.Equal(0.5, (Parse(new TrainConfig(), "--oversample-foreground", "0.5") with { Mode = "3d" }).OversampleForeground);
        Assert.Equal(0, (Parse(new TrainConfig(), "--oversample-foreground", "0") with { Mode = "2.5d" }).OversampleForeground);
    }

    [Fact]
    public void Output_prior_stays_open_for_the_label_map_default_unless_given()
    {
        Assert.Null(Parse(new TrainConfig()).OutputPrior);
        Assert.Equal(0.05, Parse(new TrainConfig(), "--output-prior", "0.05").OutputPrior);
    }

    [Fact]
    public void Lr_stays_open_for_the_3d_default_unless_given()
    {
        Assert.False(Parse(new TrainConfig()).LrGiven);
        var given = Parse(new TrainConfig(), "--lr", "0.002");
        Assert.True(given.LrGiven);
        Assert.Equal(0.002, given.Lr);
    }
}
