using Microsoft.Extensions.Logging;

namespace AffectMae.Video.Decoding;

/// <summary>Opens the right <see cref="IFrameSource"/> for a path: a folder, a photo or a video file.</summary>
public static class FrameSources
{
    /// <summary>Opens <paramref name="path"/>: a directory as an <see cref="ImageFolderSource"/>, a file with an image extension as a <see cref="PhotoSource"/>, any other file as a <see cref="VideoFileSource"/>.</summary>
    /// <param name="path">A video file, a photo or a folder of numbered images.</param>
    /// <param name="folderFramesPerSecond">For a folder: the rate its frames were taken at (gives timestamps); ignored otherwise.</param>
    /// <param name="logger">Receives the decoding notes as warnings.</param>
    /// <returns>The source; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public static IFrameSource Open(string path, double? folderFramesPerSecond = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            return new ImageFolderSource(path, folderFramesPerSecond, logger);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No video, photo or frame folder exists at '{path}'.", path);
        return ImageFiles.IsImage(path) ? new PhotoSource(path) : new VideoFileSource(path, autoRotate: true, logger);
    }
}
