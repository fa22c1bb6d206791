using System.Diagnostics;
using AffectMae.Core.Data;
using AffectMae.Models.IO;
using AffectMae.Video.Decoding;
using SkiaSharp;

namespace AffectMae.Video.Cropping;

/// <summary>The image format of written crops.</summary>
public enum CropImageFormat
{
    /// <summary>JPEG, as Aff-Wild2's <c>cropped_aligned</c> frames are (lossy).</summary>
    Jpeg,

    /// <summary>PNG: lossless, so a crop read back is pixel for pixel the crop the recognizer sees from the video.</summary>
    Png,
}

/// <summary>What <see cref="CropFolder.WriteAsync"/> wrote.</summary>
/// <param name="Folder">The frame folder (full path).</param>
/// <param name="Frames">Frames decoded.</param>
/// <param name="Written">Crops written: the frames with a face.</param>
/// <param name="FramesWithoutFace">Frame numbers without a face, ascending: they have no image in the folder.</param>
/// <param name="Elapsed">Wall time of the run.</param>
/// <param name="Decoding">What decoding found (see <see cref="DecodeSummary.Notes"/>).</param>
public sealed record CropFolderSummary(string Folder, int Frames, int Written, IReadOnlyList<int> FramesWithoutFace, TimeSpan Elapsed, DecodeSummary? Decoding)
{
    /// <summary>Frames per second: decoding, face finding, cropping and writing.</summary>
    public double FramesPerSecond => VideoProgress.Rate(Frames, Elapsed);
}

/// <summary>
/// Writes the face crops of a video as a frame folder in the ABAW layout (<c>cropped_aligned/&lt;video&gt;/00001.jpg</c>),
/// so that a user's own recordings can join a training set: every crop is named by its frame number (five digits,
/// Aff-Wild2's numbering from 1), and a frame without a face gets no image. That is how Aff-Wild2 itself marks frames
/// without a usable face (its folders skip numbers, and readers such as <see cref="FrameFolder"/> and the recognizer
/// keep a row for each missing number), so frame numbers still match the video and its annotations.
/// </summary>
public static class CropFolder
{
    /// <summary>
    /// Runs <paramref name="pipeline"/> over <paramref name="source"/> and writes each crop to <paramref name="folder"/>.
    /// The images go to a temporary folder next to it that is renamed into place at the end, so a run that fails or is
    /// cancelled leaves no half-written folder.
    /// </summary>
    /// <param name="pipeline">Face finding and the crop rule (for training data, the recipe's <c>FaceCrop</c>).</param>
    /// <param name="source">The video (or photo, or frame folder); read once.</param>
    /// <param name="folder">The video's frame folder, e.g. <c>cropped_aligned/my_video</c>.</param>
    /// <param name="format">JPEG (as Aff-Wild2) or PNG (lossless).</param>
    /// <param name="jpegQuality">JPEG quality, 1–100.</param>
    /// <param name="replace">Replace a folder that exists; otherwise an existing folder is refused.</param>
    /// <param name="progress">Receives frames done and frames per second after each frame's crop (if any) is written.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="IOException"><paramref name="folder"/> exists and <paramref name="replace"/> is false.</exception>
    public static async Task<CropFolderSummary> WriteAsync(FaceCropPipeline pipeline, IFrameSource source, string folder, CropImageFormat format = CropImageFormat.Jpeg,
        int jpegQuality = 95, bool replace = false, IProgress<VideoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        if (!Enum.IsDefined(format))
            throw new ArgumentOutOfRangeException(nameof(format), format, "Use Jpeg or Png.");
        string full = Path.GetFullPath(folder);
        if (!replace && (Directory.Exists(full) || File.Exists(full)))
            throw new IOException($"'{full}' exists already; choose another output folder or allow replacing it.");
        var clock = Stopwatch.StartNew();
        var withoutFace = new List<int>();
        int frames = 0;
        await AtomicFolder.ReplaceAsync(full, async temporary =>
        {
            await foreach (var row in pipeline.RunAsync(source, cancellationToken).ConfigureAwait(false))
            {
                using (row)
                {
                    frames++;
                    if (row.Crop is null)
                        withoutFace.Add(row.FrameNumber);
                    else
                        Write(row.Crop, Path.Combine(temporary, FileName(row.FrameNumber, format)), format, jpegQuality);
                    progress?.Report(new VideoProgress(frames, withoutFace.Count, source.Info.HeaderFrameCount, clock.Elapsed));
                }
            }
        }).ConfigureAwait(false);
        return new CropFolderSummary(full, frames, frames - withoutFace.Count, withoutFace, clock.Elapsed, source.Summary);
    }

    /// <summary>The file name of frame <paramref name="frameNumber"/>: <c>00001.jpg</c> (<see cref="VideoAnnotation.FrameFileName"/>) or <c>00001.png</c>.</summary>
    /// <param name="frameNumber">One-based frame number.</param>
    /// <param name="format">The image format.</param>
    public static string FileName(int frameNumber, CropImageFormat format) =>
        format == CropImageFormat.Png ? Path.ChangeExtension(VideoAnnotation.FrameFileName(frameNumber), ".png") : VideoAnnotation.FrameFileName(frameNumber);

    private static void Write(SKBitmap crop, string path, CropImageFormat format, int jpegQuality)
    {
        using var data = crop.Encode(format == CropImageFormat.Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, jpegQuality)
            ?? throw new InvalidOperationException($"Skia could not encode the crop for '{path}'.");
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        data.SaveTo(file);
    }
}
