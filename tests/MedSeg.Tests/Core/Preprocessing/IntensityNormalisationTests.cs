using MedSeg.Core;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Tests.Core.Preprocessing;

public class IntensityNormalisationTests
{
    private static float[] Apply(string normalisation, params ushort[] image)
    {
        var output = new float[image.Length];
        IntensityNormalisation.Parse(normalisation).Apply(image, output);
        return output;
    }

    private static void Near(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }

    [Fact]
    public void Per_image_max_divides_by_the_maximum()
    {
        Assert.Equal([0f, 0.25f, 0.5f, 1f], Apply("per-image-max", 0, 64, 128, 256));
        Assert.Equal([0f, 0f], Apply("per-image-max", 0, 0));
    }

    [Fact]
    public void Per_image_max_multiplies_by_the_float_reciprocal_as_before()
    {
        // 1/3 is not exact in float: earlier runs computed v * (1f / max), and the default must not change by one bit.
        var output = Apply("per-image-max", 1, 2, 3);
        Assert.Equal(1 * (1f / 3), output[0]);
        Assert.Equal(2 * (1f / 3), output[1]);
        Assert.Equal(3 * (1f / 3), output[2]);
        Assert.Same(IntensityNormalisation.Default, IntensityNormalisation.Parse("per-image-max"));
    }

    [Fact]
    public void Zscore_uses_the_population_standard_deviation()
    {
        // mean 2.5, std sqrt(1.25)
        var s = Math.Sqrt(1.25);
        Near([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], Apply("zscore", 1, 2, 3, 4));
        Assert.Equal([0f, 0f, 0f], Apply("zscore", 7, 7, 7));
    }

    [Fact]
    public void Percentile_clips_at_interpolated_percentiles_then_zscores()
    {
        // numpy.percentile([0, 10, 20, 30], [25, 75]) = [7.5, 22.5]; clipped [7.5, 10, 20, 22.5]: mean 15, std sqrt(40.625).
        var s = Math.Sqrt(40.625);
        Near([-7.5 / s, -5 / s, 5 / s, 7.5 / s], Apply("percentile:25:75", 0, 10, 20, 30));
        // Order does not matter: 0..10 shuffled, 10th and 90th percentiles 1 and 9; clipped mean 5, variance 92/11.
        var t = Math.Sqrt(92.0 / 11);
        ushort[] shuffled = [10, 3, 0, 7, 1, 9, 5, 2, 8, 6, 4];
        var output = new float[11];
        new PercentileNormalisation(10, 90).Apply(shuffled, output);
        Near(shuffled.Select(v => (Math.Clamp(v, 1.0, 9.0) - 5) / t).ToArray(), output);
    }

    [Fact]
    public void Percentile_of_the_full_range_is_a_zscore()
    {
        Assert.Equal(Apply("zscore", 3, 90, 4000, 17), Apply("percentile:0:100", 3, 90, 4000, 17));
    }

    [Fact]
    public void Window_clips_raw_values_and_scales_to_unit_range()
    {
        Assert.Equal([0f, 0f, 0.5f, 1f, 1f], Apply("window:100:300", 0, 100, 200, 300, 65535));
    }

    [Theory]
    [InlineData("per-image-max")]
    [InlineData("zscore")]
    [InlineData("percentile:0.5:99.5")]
    [InlineData("window:0:2000")]
    public void Canonical_text_parses_back_to_itself(string text)
    {
        Assert.Equal(text, IntensityNormalisation.Parse(text).ToString());
    }

    [Theory]
    [InlineData("max")]
    [InlineData("zscore:1")]
    [InlineData("percentile:0.5")]
    [InlineData("percentile:90:10")]
    [InlineData("percentile:0:101")]
    [InlineData("window:5:5")]
    [InlineData("window:a:b")]
    [InlineData("")]
    public void Invalid_text_names_the_option_and_the_valid_forms(string text)
    {
        var error = Assert.Throws<MedSegException>(() => IntensityNormalisation.Parse(text, "--normalisation"));
        Assert.StartsWith($"--normalisation '{text}' is not valid", error.Message);
        Assert.Contains(IntensityNormalisation.Forms, error.Message);
    }
}
