namespace AffectMae.Video.Decoding;

/// <summary>A single photo as a one-frame source (index 0, frame number 1, no timestamp), turned upright by its EXIF orientation.</summary>
public sealed class PhotoSource : IFrameSource
{
    private bool enumerated;

    /// <summary>Checks that <paramref name="path"/> exists; decoding happens during enumeration.</summary>
    /// <param name="path">A JPEG, PNG, BMP, TIFF or WebP file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public PhotoSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Photo '{path}' does not exist.", path);
        OpenCvRuntime.EnsureLoaded();
        Path = path;
        Info = new FrameSourceInfo(FrameSourceKind.Photo, 0, 0, null, 1, 0, false);
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public FrameSourceInfo Info { get; }

    /// <inheritdoc />
    public DecodeSummary? Summary { get; private set; }

    /// <inheritdoc />
    public IEnumerable<VideoFrame> ReadFrames(CancellationToken cancellationToken = default)
    {
        if (enumerated)
            throw new InvalidOperationException($"The photo '{Path}' was already read; create the source again to read it twice.");
        enumerated = true;
        return Decode(cancellationToken);
    }

    private IEnumerable<VideoFrame> Decode(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        yield return new VideoFrame(0, 1, null, ImageFiles.Read(Path), Path);
        Summary = new DecodeSummary(1, 1, null, null, null, null, false, []);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
