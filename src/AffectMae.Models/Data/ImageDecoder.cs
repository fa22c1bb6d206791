using AffectMae.Core.IO;
using SkiaSharp;

namespace AffectMae.Models.Data;

/// <summary>Decodes JPEG and PNG frames with SkiaSharp into 8-bit RGBA bitmaps.</summary>
/// <remarks>
/// Pixels are decoded as unpremultiplied RGBA with no colour-space conversion (an embedded ICC profile is ignored, as
/// PIL ignores it), so the bytes are the file's own. A truncated file is an error, not a partly grey image. The image
/// size is read from the header before anything is decoded, and an image of more than a cap of pixels is refused: a
/// 1 MB PNG can declare a bitmap of gigabytes. Only regular files are read (not FIFOs or devices). On Linux an
/// application needs SkiaSharp's native library, e.g. the <c>SkiaSharp.NativeAssets.Linux.NoDependencies</c>
/// package; Windows and macOS get it with SkiaSharp.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>The most pixels an image may have by default: 40 million (8K video is 33 million), a 160 MB bitmap.</summary>
    public const long DefaultMaxPixels = 40_000_000;

    /// <summary>Decodes the image at <paramref name="path"/> if it has at most <see cref="DefaultMaxPixels"/> pixels; see <see cref="Decode(string, long)"/>.</summary>
    /// <param name="path">A JPEG or PNG file.</param>
    /// <returns>The bitmap; the caller disposes it.</returns>
    public static SKBitmap Decode(string path) => Decode(path, DefaultMaxPixels);

    /// <summary>Decodes the image at <paramref name="path"/>; the caller disposes the bitmap.</summary>
    /// <param name="path">A JPEG or PNG file (any format Skia reads).</param>
    /// <param name="maxPixels">The most pixels (width × height) accepted, checked from the header before decoding.</param>
    /// <returns>A bitmap of the image's size in <see cref="SKColorType.Rgba8888"/>, <see cref="SKAlphaType.Unpremul"/>.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO or device, not a regular file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a readable image, is truncated, or has more than <paramref name="maxPixels"/> pixels; the message
    /// names it.
    /// </exception>
    public static SKBitmap Decode(string path, long maxPixels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        RegularFile.ThrowIfNotRegular(path, "Image file");
        string name = PrintableText.Escape(path);
        using var codec = SKCodec.Create(path, out var opened)
            ?? throw new InvalidDataException($"Cannot decode image '{name}': Skia reports {opened}; it is not a readable JPEG or PNG.");
        long pixels = (long)codec.Info.Width * codec.Info.Height;
        if (codec.Info.Width <= 0 || codec.Info.Height <= 0)
            throw new InvalidDataException($"Cannot decode image '{name}': its header gives a size of {codec.Info.Width}×{codec.Info.Height}.");
        if (pixels > maxPixels)
            throw new InvalidDataException($"Image '{name}' is {codec.Info.Width}×{codec.Info.Height} = {pixels} pixels, above the cap of {maxPixels}; "
                + $"if it is genuine, raise {nameof(ImageTransform)}.{nameof(ImageTransform.MaxPixels)} (or the maxPixels argument of {nameof(ImageDecoder)}.{nameof(Decode)}).");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidDataException($"Cannot decode image '{name}': Skia reports {decoded} (a damaged or truncated file).");
        }
        return bitmap;
    }
}
