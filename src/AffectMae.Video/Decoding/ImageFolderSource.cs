using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AffectMae.Video.Decoding;

/// <summary>
/// A folder of numbered images (Aff-Wild2's <c>cropped_aligned/&lt;video&gt;/00001.jpg</c>, or frames a tool
/// exported), read one at a time in numeric order of the number in each file name.
/// </summary>
/// <remarks>
/// Files whose extension is not an image format (see <see cref="IsImageFile"/>) are ignored. An image whose name holds
/// no number, or two images with the same number (<c>00003.jpg</c> and <c>00003.png</c>), are refused with an
/// <see cref="InvalidDataException"/> that names the files. Gaps in the numbering are allowed and reported in
/// <see cref="DecodeSummary.Notes"/>; <see cref="VideoFrame.FrameNumber"/> keeps the number from the name, so the gap
/// stays visible. Each image is turned upright by its EXIF orientation.
/// </remarks>
public sealed partial class ImageFolderSource : IFrameSource
{
    private readonly IReadOnlyList<NumberedImage> images;
    private readonly ILogger logger;
    private bool enumerated;

    /// <summary>Lists the images of <paramref name="folder"/>; decoding happens during enumeration.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="framesPerSecond">The rate the frames were taken at; frame k then has timestamp (k − 1) / rate. <see langword="null"/>: no timestamps.</param>
    /// <param name="logger">Receives a warning for each note of the <see cref="Summary"/>; none by default.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder holds no image, an image without a number in its name, or two images with one number.</exception>
    public ImageFolderSource(string folder, double? framesPerSecond = null, ILogger? logger = null)
    {
        if (framesPerSecond is { } fps && !(double.IsFinite(fps) && fps > 0))
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), fps, "The frame rate must be a positive number of frames per second, or null for no timestamps.");
        images = ListImages(folder);
        OpenCvRuntime.EnsureLoaded();
        this.logger = logger ?? NullLogger.Instance;
        Path = folder;
        Info = new FrameSourceInfo(FrameSourceKind.ImageFolder, 0, 0, framesPerSecond, images.Count, 0, false);
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public FrameSourceInfo Info { get; }

    /// <inheritdoc />
    public DecodeSummary? Summary { get; private set; }

    /// <summary>The images that will be read, in order.</summary>
    public IReadOnlyList<NumberedImage> Images => images;

    /// <summary>Whether a file is read as an image (by extension: jpg, jpeg, png, bmp, tif, tiff, webp; any case).</summary>
    /// <param name="path">A file name or path.</param>
    /// <returns><see langword="true"/> for an image extension.</returns>
    public static bool IsImageFile(string path) => ImageFiles.IsImage(path);

    /// <summary>The numbered images of <paramref name="folder"/> in numeric order.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>One entry per image file, sorted by frame number.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No image, an image without a number, or two images with one number.</exception>
    public static IReadOnlyList<NumberedImage> ListImages(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Frame folder '{folder}' does not exist.");

        var numbered = new List<NumberedImage>();
        foreach (string file in Directory.EnumerateFiles(folder).Where(IsImageFile))
        {
            string stem = System.IO.Path.GetFileNameWithoutExtension(file);
            var digits = LastDigits().Match(stem);
            if (!digits.Success)
                throw new InvalidDataException($"Image '{file}' has no frame number in its name; name frames like 00001.jpg.");
            if (!int.TryParse(digits.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                throw new InvalidDataException($"Image '{file}': the frame number {digits.Value} is too large.");
            numbered.Add(new NumberedImage(number, file));
        }
        if (numbered.Count == 0)
            throw new InvalidDataException($"Frame folder '{folder}' holds no image ({string.Join(", ", ImageFiles.Extensions.Order())}).");

        numbered.Sort((a, b) => a.FrameNumber != b.FrameNumber
            ? a.FrameNumber.CompareTo(b.FrameNumber)
            : string.CompareOrdinal(a.Path, b.Path));
        for (int i = 1; i < numbered.Count; i++)
            if (numbered[i].FrameNumber == numbered[i - 1].FrameNumber)
                throw new InvalidDataException(
                    $"Frame {numbered[i].FrameNumber} appears twice in '{folder}': '{System.IO.Path.GetFileName(numbered[i - 1].Path)}' and "
                    + $"'{System.IO.Path.GetFileName(numbered[i].Path)}'. Keep one image per frame number.");
        return numbered;
    }

    /// <inheritdoc />
    public IEnumerable<VideoFrame> ReadFrames(CancellationToken cancellationToken = default)
    {
        if (enumerated)
            throw new InvalidOperationException($"The frames of '{Path}' were already read; create the source again to read them twice.");
        enumerated = true;
        return Decode(cancellationToken);
    }

    private IEnumerable<VideoFrame> Decode(CancellationToken cancellationToken)
    {
        var times = new FrameTimes(Info.FramesPerSecond);
        for (int index = 0; index < images.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (number, file) = images[index];
            TimeSpan? timestamp = Info.FramesPerSecond is { } fps ? TimeSpan.FromSeconds((number - 1) / fps) : null;
            if (timestamp is { } t)
                times.Add(t);
            yield return new VideoFrame(index, number, timestamp, ImageFiles.Read(file), file);
        }

        var notes = new List<string>();
        if (MissingNumbers() is { Length: > 0 } missing)
            notes.Add(missing);
        Summary = new DecodeSummary(images.Count, images.Count, times.First, times.Last, times.MinInterval, times.MaxInterval,
            VariableFrameRate: false, notes);
        foreach (string note in notes)
            logger.LogWarning("{Folder}: {Note}", Path, note);
    }

    /// <summary>A sentence naming the gaps in the numbering (at most five ranges), or an empty string.</summary>
    private string MissingNumbers()
    {
        var gaps = new List<string>();
        int missingTotal = 0;
        for (int i = 1; i < images.Count; i++)
        {
            int from = images[i - 1].FrameNumber + 1, to = images[i].FrameNumber - 1;
            if (to < from)
                continue;
            missingTotal += to - from + 1;
            gaps.Add(from == to ? $"{from}" : $"{from}–{to}");
        }
        if (gaps.Count == 0)
            return "";
        string shown = string.Join(", ", gaps.Take(5)) + (gaps.Count > 5 ? $" and {gaps.Count - 5} more gaps" : "");
        return $"{missingTotal} frame number(s) are missing between {images[0].FrameNumber} and {images[^1].FrameNumber}: {shown}. Rows keep the numbers of the files.";
    }

    [GeneratedRegex(@"\d+(?=\D*$)")]
    private static partial Regex LastDigits();

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
