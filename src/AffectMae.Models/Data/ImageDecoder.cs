using SkiaSharp;

namespace AffectMae.Models.Data;

/// <summary>Decodes JPEG and PNG frames with SkiaSharp into 8-bit RGBA bitmaps.</summary>
/// <remarks>
/// Pixels are decoded as unpremultiplied RGBA with no colour-space conversion (an embedded ICC profile is ignored, as
/// PIL ignores it), so the bytes are the file's own. A truncated file is an error, not a partly grey image. On Linux
/// an application needs SkiaSharp's native library, e.g. the <c>SkiaSharp.NativeAssets.Linux.NoDependencies</c>
/// package; Windows and macOS get it with SkiaSharp.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Decodes the image at <paramref name="path"/>; the caller disposes the bitmap.</summary>
    /// <param name="path">A JPEG or PNG file (any format Skia reads).</param>
    /// <returns>A bitmap of the image's size in <see cref="SKColorType.Rgba8888"/>, <see cref="SKAlphaType.Unpremul"/>.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable image or is truncated; the message names it.</exception>
    public static SKBitmap Decode(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        using var codec = SKCodec.Create(path, out var opened)
            ?? throw new InvalidDataException($"Cannot decode image '{path}': Skia reports {opened}; it is not a readable JPEG or PNG.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidDataException($"Cannot decode image '{path}': Skia reports {decoded} (a damaged or truncated file).");
        }
        return bitmap;
    }
}
