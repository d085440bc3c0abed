using MedSeg.Core.Metrics;
using MedSeg.Core.Reports;
using OpenCvSharp;

namespace MedSeg.Tests.Core.Reports;

public class PrecisionRecallPlotTests
{
    [Fact]
    public void Plot_is_a_png_of_the_requested_size_with_coloured_curves()
    {
        var metric = new PrecisionRecallMetric(["stomach", "large_bowel", "none"], bins: 101);
        var random = new Random(2);
        for (int c = 0; c < 2; c++)
        {
            var probabilities = new float[4000];
            var truth = new byte[4000];
            for (int i = 0; i < truth.Length; i++)
            {
                truth[i] = random.NextDouble() < 0.3 ? (byte)1 : (byte)0;
                probabilities[i] = (float)Math.Clamp(random.NextDouble() * 0.6 + (truth[i] != 0 ? 0.35 - 0.1 * c : 0), 0, 1);
            }
            metric.Update(c, probabilities, truth);
        }
        metric.Update(2, [0.2f], [0]);

        byte[] png = PrecisionRecallPlot.Encode(metric.Compute().Curves, 640, 480);

        using Mat image = Cv2.ImDecode(png, ImreadModes.Color);
        int width = image.Width, height = image.Height;
        Assert.Equal(640, width);
        Assert.Equal(480, height);
        int coloured = 0, dark = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Vec3b pixel = image.At<Vec3b>(y, x);
                coloured += Math.Max(pixel.Item0, Math.Max(pixel.Item1, pixel.Item2)) - Math.Min(pixel.Item0, Math.Min(pixel.Item1, pixel.Item2)) > 60 ? 1 : 0;
                dark += pixel.Item0 + pixel.Item1 + pixel.Item2 < 150 ? 1 : 0;
            }
        }
        Assert.True(coloured > 500, $"only {coloured} coloured pixels: the curves are missing");
        Assert.True(dark > 1500, $"only {dark} dark pixels: axis labels and legend text are missing (fonts-dejavu-core installed?)");
    }
}
