using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Models.Pipeline;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;

namespace AffectMae.Video.Recognition;

/// <summary>
/// From a video file, a photo or a folder of frames to per-frame affect: decode → find the subject's face → crop, each
/// on a background task (<see cref="FaceCropPipeline"/>), then <see cref="AffectRecognizer.PredictStreamAsync"/>
/// (encoder batches on the recognizer's device, overlapping windows). Faces are cropped by the rule the encoder's
/// training frames were cut with (its manifest's <see cref="EncoderManifest.FaceCrop"/>), every frame keeps its row,
/// and a frame without a face is padding for the temporal model. Memory holds a few queued frames and a few windows,
/// whatever the video's length.
/// </summary>
public sealed class VideoAffectRecognizer
{
    /// <summary>Joins a recognizer and a face pipeline that crops as the recognizer's encoder bundle says.</summary>
    /// <param name="recognizer">The models (the caller keeps ownership).</param>
    /// <param name="faces">
    /// Detector, tracker and queue settings (validated and copied), or <see langword="null"/> for the defaults. Leave
    /// <see cref="FacePipelineOptions.Crop"/> null: the encoder bundle's rule is used, and any other rule is refused.
    /// </param>
    /// <param name="detectorFactory">Makes the detector of each run (see <see cref="FaceCropPipeline(FacePipelineOptions, Func{IFaceDetector}?)"/>); null builds it from <paramref name="faces"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid, or their crop rule differs from the encoder bundle's.</exception>
    public VideoAffectRecognizer(AffectRecognizer recognizer, FacePipelineOptions? faces = null, Func<IFaceDetector>? detectorFactory = null)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        var rule = recognizer.Encoder.Manifest.Encoder!.FaceCrop;
        var options = OptionsValidation.ValidatedCopy(new FacePipelineOptionsValidator(), faces ?? new FacePipelineOptions(), nameof(faces));
        if (options.Crop is { } given && Describe(given) != Describe(rule))
            throw new ArgumentException($"FacePipelineOptions.Crop is {Describe(given)}, but the encoder {recognizer.Encoder.Folder} was trained on faces cut by {Describe(rule)} "
                + $"({ModelManifest.FileName}, field Encoder.FaceCrop): crops cut otherwise would not look like its training frames. Leave Crop null to crop by the bundle's rule.", nameof(faces));
        options.Crop = rule;
        Recognizer = recognizer;
        Faces = new FaceCropPipeline(options, detectorFactory);
    }

    /// <summary>The models.</summary>
    public AffectRecognizer Recognizer { get; }

    /// <summary>Decoding, face finding and cropping, with the encoder bundle's crop rule (<c>Faces.Cropper.Options</c>).</summary>
    public FaceCropPipeline Faces { get; }

    /// <summary>Per-frame affect of <paramref name="source"/>, each row yielded once no later window can change it.</summary>
    /// <param name="source">A video, photo or frame folder (<see cref="FrameSources.Open"/>); read once. Its <see cref="IFrameSource.Summary"/> is set when the last row has been handed out.</param>
    /// <param name="cancellationToken">Stops every stage.</param>
    /// <returns>One row per decoded frame in order; frame numbers an image folder skips get rows without a face, so the numbers run without gaps.</returns>
    public async IAsyncEnumerable<VideoFrameAffect> PredictAsync(IFrameSource source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var seen = new Queue<(int Frame, TimeSpan? Timestamp, FaceBox? Box)>();   // frames given to the recognizer, not yet returned
        await foreach (var affect in Recognizer.PredictStreamAsync(Crops(source, seen, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            var (frame, timestamp, box) = seen.Dequeue();
            Debug.Assert(frame == affect.Frame, "the recognizer returns frames in the order it was given them");
            yield return new VideoFrameAffect(affect, timestamp, box);
        }
    }

    /// <summary>
    /// Writes the per-frame affect of <paramref name="source"/> to <paramref name="path"/> as CSV
    /// (<see cref="VideoAffectCsv"/>), row by row, under a temporary name that is renamed into place at the end: a run
    /// that fails or is cancelled leaves any earlier file untouched.
    /// </summary>
    /// <param name="source">A video, photo or frame folder; read once.</param>
    /// <param name="path">The CSV file to create or replace.</param>
    /// <param name="progress">Receives frames done and frames per second after each row is written.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Rows written, rows without a face, the time taken and what decoding found (header count against frames decoded).</returns>
    public async Task<VideoAffectSummary> WriteCsvAsync(IFrameSource source, string path, IProgress<VideoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var written = await VideoAffectCsv.WriteAsync(path, PredictAsync(source, cancellationToken), source.Info.HeaderFrameCount, progress, cancellationToken).ConfigureAwait(false);
        return written with { Decoding = source.Summary };
    }

    // The face pipeline's rows as the recognizer's frames. Each crop is read by the recognizer as soon as it is handed
    // over, and the row (with its crop) is disposed when the recognizer asks for the next frame.
    private async IAsyncEnumerable<RecognizerFrame> Crops(IFrameSource source, Queue<(int, TimeSpan?, FaceBox?)> seen, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int? last = null;
        await foreach (var row in Faces.RunAsync(source, cancellationToken).ConfigureAwait(false))
        {
            using (row)
            {
                for (int missing = (last ?? row.FrameNumber - 1) + 1; missing < row.FrameNumber; missing++)   // numbers an image folder skips
                {
                    seen.Enqueue((missing, null, null));
                    yield return new RecognizerFrame(missing, null);
                }
                last = row.FrameNumber;
                seen.Enqueue((row.FrameNumber, row.Timestamp, row.Box));
                yield return new RecognizerFrame(row.FrameNumber, row.Crop);
            }
        }
    }

    private static string Describe(FaceCropOptions rule) => JsonSerializer.Serialize(rule);
}
