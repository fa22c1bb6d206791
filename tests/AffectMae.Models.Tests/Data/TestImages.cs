using SkiaSharp;

namespace AffectMae.Models.Tests.Data;

/// <summary>A temporary folder of small images written with SkiaSharp; deleted on dispose.</summary>
internal sealed class TestImages : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("affectmae-data-").FullName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>Writes an image whose pixel (row y, column x) is <paramref name="colour"/>(x, y); PNG is lossless.</summary>
    public string Write(string name, int width, int height, Func<int, int, SKColor> colour, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        string path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, colour(x, y));
        using var data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>A PNG of a smooth gradient, different for each <paramref name="variant"/>.</summary>
    public string Gradient(string name, int width = 12, int height = 10, int variant = 0) =>
        Write(name, width, height, (x, y) => new SKColor((byte)(20 * x + variant), (byte)(25 * y), (byte)(7 * (x + y) + 3 * variant)));

    /// <summary>A file with a .jpg name that holds no image.</summary>
    public string Corrupt(string name)
    {
        string path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "this is not a JPEG");
        return path;
    }
}
