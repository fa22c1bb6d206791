using SkiaSharp;

namespace AffectMae.Video.Tests;

/// <summary>Pixel comparisons of RGBA bitmaps, and an independent crop drawn with SkiaSharp.</summary>
public static class ImageCompare
{
    /// <summary>Mean absolute difference of the R, G and B values (alpha ignored), on the 0–255 scale.</summary>
    public static double MeanAbsoluteRgbDifference(SKBitmap a, SKBitmap b)
    {
        a.Width.Should().Be(b.Width);
        a.Height.Should().Be(b.Height);
        long sum = 0;
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++)
            {
                SKColor p = a.GetPixel(x, y), q = b.GetPixel(x, y);
                sum += Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue);
            }
        return sum / (3.0 * a.Width * a.Height);
    }

    /// <summary>
    /// The axis-aligned square [cx − side/2, cx + side/2] × [cy − side/2, cy + side/2] of <paramref name="image"/>
    /// drawn into a size² bitmap by Skia (linear filtering with mipmaps): a crop made without OpenCV or our cropper.
    /// </summary>
    public static SKBitmap SkiaCrop(SKBitmap image, double cx, double cy, double side, int size)
    {
        var crop = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(crop);
        canvas.Clear(SKColors.Black);
        using var source = SKImage.FromBitmap(image);
        var from = SKRect.Create((float)(cx - side / 2), (float)(cy - side / 2), (float)side, (float)side);
        canvas.DrawImage(source, from, SKRect.Create(size, size), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return crop;
    }

    /// <summary>Decodes a PNG or JPEG to RGBA with Skia.</summary>
    public static SKBitmap Decode(string path)
    {
        using var decoded = SKBitmap.Decode(path);
        var rgba = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        decoded.CopyTo(rgba, SKColorType.Rgba8888).Should().BeTrue();
        return decoded.Copy(SKColorType.Rgba8888);
    }
}
