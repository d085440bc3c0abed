using MedSeg.Core.Data;
using MedSeg.Core.IO;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Writes a synthetic CamVid-like folder dataset: <c>images/</c> (8-bit RGB or gray PNGs), <c>masks/</c> (8-bit PNGs of
/// class indices, 0 = background) and <c>classes.txt</c>, or the same in <c>train/</c>, <c>val/</c>, <c>test/</c> with
/// classes.txt on top (a part of no images is left out). Each image is a smooth low-saturation background with 3–6 overlapping ellipses and rectangles;
/// a shape's class decides its colour (a hue of its own; in gray a level of its own) and its stripe texture
/// (orientation and period), never its geometry, so a network learns the classes from appearance and the outlines
/// from edges. Image i draws from stream i of the seed alone: the same options write byte-identical files.
/// </summary>
public static class FolderSynth
{
    /// <summary>Writes the dataset into the new folder <paramref name="outDir"/> (it appears whole or not at all).</summary>
    /// <returns>The number of images written.</returns>
    /// <exception cref="MedSegException">An invalid option, or <paramref name="outDir"/> is a file or a non-empty folder.</exception>
    public static int Write(string outDir, FolderSynthOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return AtomicFolder.Write(outDir, folder =>
        {
            var classes = Enumerable.Range(0, options.Classes).Select(FolderSurvey.DefaultName);
            File.WriteAllText(Path.Combine(folder, FolderDataset.ClassesFile), string.Join("\n", classes) + "\n");
            if (options.Split is null)
            {
                WritePart(folder, options, 0, options.Images);
            }
            else
            {
                int first = 0;
                for (int p = 0; p < FolderLayout.SplitNames.Count; p++)
                {
                    if (options.Split[p] == 0)
                    {
                        continue;
                    }
                    WritePart(Path.Combine(folder, FolderLayout.SplitNames[p]), options, first, options.Split[p]);
                    first += options.Split[p];
                }
            }
            progress?.Invoke($"wrote {options.Total} synthetic images of {options.Height}x{options.Width} with {options.Classes} classes");
            return options.Total;
        });
    }

    private static void WritePart(string folder, FolderSynthOptions options, int first, int count)
    {
        string images = Path.Combine(folder, "images"), masks = Path.Combine(folder, "masks");
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(masks);
        Parallel.For(0, count, i =>
        {
            int index = first + i;
            var (image, mask) = Render(options, new DeterministicRandom(options.Seed, index));
            string name = $"image_{index:D4}.png";
            File.WriteAllBytes(Path.Combine(images, name), options.Channels == 3
                ? RgbPng.Encode(image, options.Height, options.Width)
                : GrayPng.Encode(image.Select(v => (ushort)v).ToArray(), options.Height, options.Width));
            File.WriteAllBytes(Path.Combine(masks, name), GrayPng.Encode(mask, options.Height, options.Width));
        });
    }

    /// <summary>One image (interleaved channels) and its mask of class indices.</summary>
    private static (byte[] Image, ushort[] Mask) Render(FolderSynthOptions o, DeterministicRandom random)
    {
        int h = o.Height, w = o.Width;
        var mask = new ushort[h * w];
        int shapes = 3 + (int)(random.NextDouble() * 4);
        for (int s = 0; s < shapes; s++)
        {
            ushort k = (ushort)(1 + (int)(random.NextDouble() * (o.Classes - 1)));
            double cy = random.NextDouble(0, h), cx = random.NextDouble(0, w);
            double ry = random.NextDouble(0.1, 0.3) * h, rx = random.NextDouble(0.1, 0.3) * w;
            bool ellipse = random.NextDouble() < 0.5;
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    double dy = (y - cy) / ry, dx = (x - cx) / rx;
                    if (ellipse ? dx * dx + dy * dy <= 1 : Math.Abs(dx) <= 1 && Math.Abs(dy) <= 1)
                    {
                        mask[y * w + x] = k;
                    }
                }
            }
        }
        var light = random.NextDouble(0.85, 1.15);
        var (top, bottom) = (random.NextDouble(60, 140), random.NextDouble(60, 140));
        var image = new byte[h * w * o.Channels];
        for (int y = 0; y < h; y++)
        {
            double ground = top + (bottom - top) * y / (h - 1);
            for (int x = 0; x < w; x++)
            {
                int k = mask[y * w + x];
                double noise = random.NextGaussian() * 8;
                double texture = k == 0 ? 0 : 22 * Math.Sin(Stripe(k, y, x));
                if (o.Channels == 1)
                {
                    image[y * w + x] = Clip((k == 0 ? ground : GrayLevel(k, o.Classes)) * light + texture + noise);
                    continue;
                }
                var (r, g, b) = k == 0 ? (ground, ground * 0.97, ground * 0.94) : ClassColour(k);
                int p = 3 * (y * w + x);
                image[p] = Clip(r * light + texture + noise);
                image[p + 1] = Clip(g * light + texture + noise);
                image[p + 2] = Clip(b * light + texture + noise);
            }
        }
        return (image, mask);
    }

    /// <summary>Class k's colour: hues spread by the golden ratio, saturation and value alternating so neighbours differ.</summary>
    private static (double R, double G, double B) ClassColour(int k)
    {
        double hue = (k * 0.618033988749895) % 1.0 * 6;
        double saturation = k % 2 == 0 ? 0.85 : 0.55, value = 235 - 70 * (k / 2 % 3) / 2.0;
        int sector = (int)hue;
        double f = hue - sector, p = value * (1 - saturation), q = value * (1 - saturation * f), t = value * (1 - saturation * (1 - f));
        return sector switch
        {
            0 => (value, t, p),
            1 => (q, value, p),
            2 => (p, value, t),
            3 => (p, q, value),
            4 => (t, p, value),
            _ => (value, p, q),
        };
    }

    /// <summary>Class k's gray level: evenly spread over 30…230 (the background stays within 60…140 but carries no stripes).</summary>
    private static double GrayLevel(int k, int classes) => 30 + 200.0 * (k - 1) / Math.Max(1, classes - 2);

    /// <summary>The phase of class k's stripes at (y, x): its own orientation and a period of 4–11 pixels.</summary>
    private static double Stripe(int k, int y, int x)
    {
        double angle = k * 2.399963229728653, period = 4 + k % 8;
        return 2 * Math.PI * (x * Math.Cos(angle) + y * Math.Sin(angle)) / period;
    }

    private static byte Clip(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
