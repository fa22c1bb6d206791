using OpenCvSharp;
using SkiaSharp;

namespace AffectMae.Video.Cropping;

/// <summary>Conversions between OpenCV's BGR images and SkiaSharp's RGBA bitmaps.</summary>
public static class BgrImages
{
    /// <summary>Copies an 8-bit BGR image into a new RGBA bitmap (opaque; alpha 255).</summary>
    /// <param name="bgr">An 8-bit, 3-channel BGR image.</param>
    /// <returns>A bitmap of the same size in <see cref="SKColorType.Rgba8888"/>, <see cref="SKAlphaType.Unpremul"/>, as <c>AffectMae.Models.Data.ImageDecoder.Decode</c> returns; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The image is not 8-bit BGR.</exception>
    public static SKBitmap ToBitmap(Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"Expected an 8-bit BGR image (CV_8UC3); got {bgr.Type()}.", nameof(bgr));
        var bitmap = new SKBitmap(new SKImageInfo(bgr.Width, bgr.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        // Let OpenCV write the converted pixels straight into the bitmap's memory (its own row stride).
        using var pixels = Mat.FromPixelData(bgr.Height, bgr.Width, MatType.CV_8UC4, bitmap.GetPixels(), bitmap.RowBytes);
        Cv2.CvtColor(bgr, pixels, ColorConversionCodes.BGR2RGBA);
        return bitmap;
    }

    /// <summary>Copies an RGBA bitmap into a new 8-bit BGR image (alpha dropped).</summary>
    /// <param name="bitmap">A bitmap in <see cref="SKColorType.Rgba8888"/> (unpremultiplied or opaque).</param>
    /// <returns>A BGR image of the same size; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The bitmap is not RGBA 8888.</exception>
    public static Mat FromBitmap(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.ColorType != SKColorType.Rgba8888)
            throw new ArgumentException($"Expected an Rgba8888 bitmap; got {bitmap.ColorType}.", nameof(bitmap));
        using var pixels = Mat.FromPixelData(bitmap.Height, bitmap.Width, MatType.CV_8UC4, bitmap.GetPixels(), bitmap.RowBytes);
        var bgr = new Mat();
        Cv2.CvtColor(pixels, bgr, ColorConversionCodes.RGBA2BGR);
        return bgr;
    }
}
