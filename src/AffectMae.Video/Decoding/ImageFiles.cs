using OpenCvSharp;

namespace AffectMae.Video.Decoding;

/// <summary>The image formats read as frames, and reading one.</summary>
internal static class ImageFiles
{
    /// <summary>File extensions read as images (compared without case).</summary>
    public static readonly IReadOnlySet<string> Extensions =
        new HashSet<string>([".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="path"/> has an image extension.</summary>
    public static bool IsImage(string path) => Extensions.Contains(System.IO.Path.GetExtension(path));

    /// <summary>Decodes an image to 8-bit BGR, turned upright by its EXIF orientation.</summary>
    /// <exception cref="InvalidDataException">OpenCV cannot decode the file; the message names it.</exception>
    public static Mat Read(string path)
    {
        // ImreadModes.Color applies the EXIF orientation (AnyColor | IgnoreOrientation would not).
        var image = Cv2.ImRead(path, ImreadModes.Color);
        if (image.Empty())
        {
            image.Dispose();
            throw new InvalidDataException($"Cannot decode image '{path}': OpenCV reads no pixels from it (damaged, truncated or not an image).");
        }
        return image;
    }
}
