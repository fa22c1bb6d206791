using System.Runtime.CompilerServices;
using AffectMae.Core.Data;
using AffectMae.Core.IO;
using AffectMae.Core.Options;
using AffectMae.Metrics;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// The API an application calls: an encoder bundle and a temporal bundle that turn face frames into per-frame
/// valence, arousal, expression and action units (paper §3.3–3.4). Frames go through the encoder in batches, the
/// features through the temporal model — ours or the authors' — in windows stitched by the bundle's inference protocol
/// (<see cref="Inference"/>: overlap-average, non-overlapping or last-window-wins, valence/arousal clipping, the
/// expression mode filter, the action units' rule at the threshold). A task the temporal model does not predict comes
/// out as <see cref="FrameAffect"/>'s "not predicted" values (NaN valence/arousal, expression −1, empty lists). Every form —
/// a frame folder, image files, decoded images, a feature matrix, a stream — runs the same batches and windows, so
/// they give the same numbers; the stream's memory holds a few windows (and the mode filter's look-ahead) whatever the
/// video's length.
/// </summary>
public sealed partial class AffectRecognizer : IDisposable
{
    private readonly bool ownsBundles;

    /// <summary>
    /// Joins an encoder and a temporal model (the caller keeps ownership of the bundles) and switches both to the
    /// precision of the options (<see cref="Precision"/>): their weights are cast in place.
    /// </summary>
    /// <param name="encoder">The frame encoder.</param>
    /// <param name="temporal">The temporal model, trained on <paramref name="encoder"/>'s features.</param>
    /// <param name="options">How to run; the defaults when null.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">The temporal model reads features of another width, or was trained on another encoder's features (unless <see cref="AffectRecognizerOptions.AllowEncoderMismatch"/>).</exception>
    public AffectRecognizer(EncoderBundle encoder, TemporalBundle temporal, AffectRecognizerOptions? options = null)
        : this(encoder, temporal, options, ownsBundles: false)
    {
    }

    private AffectRecognizer(EncoderBundle encoder, TemporalBundle temporal, AffectRecognizerOptions? options, bool ownsBundles)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(temporal);
        Options = OptionsValidation.ValidatedCopy(new AffectRecognizerOptionsValidator(), options ?? new AffectRecognizerOptions(), nameof(options));
        if (temporal.Model.InputDim != encoder.FeatureDim)
            throw new InvalidOperationException($"The temporal model {temporal.Folder} reads {temporal.Model.InputDim}-wide features but the encoder {encoder.Folder} gives {encoder.FeatureDim}: pair models of one run.");
        if (!temporal.TrainedOn(encoder.WeightsSha256) && !Options.AllowEncoderMismatch)
            throw new InvalidOperationException($"The temporal model {temporal.Folder} was trained on the features of encoder weights {temporal.EncoderSha256}, but {encoder.Folder} holds {encoder.WeightsSha256}: "
                + "its predictions would be meaningless. Pair models of one run, or set AffectRecognizerOptions.AllowEncoderMismatch.");
        Encoder = encoder;
        Temporal = temporal;
        Inference = Options.Inference ?? temporal.Inference;
        Precision = encoder.UseInferencePrecision(Options.Precision ?? Inference.Precision);
        temporal.Model.UseInferencePrecision(Precision.Precision);
        this.ownsBundles = ownsBundles;
    }

    /// <summary>
    /// The precision both models compute in (<see cref="AffectRecognizerOptions.Precision"/>, else
    /// <see cref="InferenceOptions.Precision"/>), resolved for the device, and why: log it.
    /// </summary>
    public Runtime.PrecisionChoice Precision { get; }

    /// <summary>The frame encoder.</summary>
    public EncoderBundle Encoder { get; }

    /// <summary>The temporal model.</summary>
    public TemporalBundle Temporal { get; }

    /// <summary>How the temporal model's windows become one prediction a frame: <see cref="AffectRecognizerOptions.Inference"/>, or the bundle's.</summary>
    public InferenceOptions Inference { get; }

    /// <summary>How the recognizer runs (a copy).</summary>
    public AffectRecognizerOptions Options { get; }

    /// <summary>Loads the two bundles onto <paramref name="device"/> (CPU when null); disposing the recognizer frees them.</summary>
    /// <param name="encoderFolder">An encoder bundle.</param>
    /// <param name="temporalFolder">A temporal bundle trained on that encoder's features.</param>
    /// <param name="device">Where both models run.</param>
    /// <param name="options">How to run.</param>
    /// <returns>The recognizer.</returns>
    /// <exception cref="FileNotFoundException">A folder is not a bundle.</exception>
    /// <exception cref="InvalidDataException">A bundle is damaged; the message names the file and field.</exception>
    public static AffectRecognizer Load(string encoderFolder, string temporalFolder, Device? device = null, AffectRecognizerOptions? options = null)
    {
        var encoder = EncoderBundle.Load(encoderFolder, device);
        try
        {
            var temporal = TemporalBundle.Load(temporalFolder, device);
            try
            {
                return new AffectRecognizer(encoder, temporal, options, ownsBundles: true);
            }
            catch
            {
                temporal.Dispose();
                throw;
            }
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every frame of a frame folder (see <see cref="FrameFolder"/>: frames keep the numbers in their names, in numeric
    /// order), from the first number to the last; numbers without an image are rows without a face, or refused with
    /// <see cref="FrameGapPolicy.Refuse"/>.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The video's frames; its name is the folder's.</returns>
    /// <exception cref="InvalidDataException">The folder has no image, two images for one number, an unreadable image (under <see cref="BadFramePolicy.Fail"/>), or gaps under <see cref="FrameGapPolicy.Refuse"/>; the message names them.</exception>
    public VideoAffect PredictFolder(string folder, CancellationToken cancellationToken = default)
    {
        var frames = FrameFolder.Scan(folder);
        if (frames.Gaps.Count > 0 && Options.Gaps == FrameGapPolicy.Refuse)
            throw new InvalidDataException($"Frame folder '{frames.Folder}' has no image for frame{(frames.Gaps.Count > 1 ? "s" : "")} {Describe(frames.Gaps)}; "
                + "give every frame an image or let gaps through (FrameGapPolicy.Mark).");
        var numbers = Enumerable.Range(frames.FirstNumber, frames.LastNumber - frames.FirstNumber + 1).ToList();
        var (rows, bad) = Run(Path.GetFileName(frames.Folder), numbers, [.. frames.Frames.Select(f => f.Number)], [.. frames.Frames.Select(f => f.Path)], cancellationToken);
        return new VideoAffect(Path.GetFileName(frames.Folder), rows, frames.Gaps) { BadFrames = bad };
    }

    /// <summary>Image files in the order given, numbered 1, 2, …; a file that cannot be decoded fails or is a frame without a face (<see cref="AffectRecognizerOptions.BadFrames"/>).</summary>
    /// <param name="paths">The frames.</param>
    /// <param name="video">The name the result carries.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="InvalidDataException">An image cannot be decoded under <see cref="BadFramePolicy.Fail"/>; the message names it.</exception>
    public VideoAffect PredictFiles(IReadOnlyList<string> paths, string video = "video", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var numbers = Enumerable.Range(1, paths.Count).ToList();
        var (rows, bad) = Run(video, numbers, numbers, paths, cancellationToken);
        return new VideoAffect(video, rows, []) { BadFrames = bad };
    }

    /// <summary>Decoded images in order, numbered 1, 2, …; a null entry is a frame without a face.</summary>
    /// <param name="images">Rgba8888 unpremultiplied bitmaps (the caller keeps ownership), or null.</param>
    /// <param name="video">The name the result carries.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public VideoAffect PredictImages(IReadOnlyList<SKBitmap?> images, string video = "video", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var session = new Session(this, video);
        var rows = new List<FrameAffect>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows.AddRange(session.AddImage(i + 1, images[i]));
        }
        rows.AddRange(session.Complete());
        return new VideoAffect(video, rows, []);
    }

    /// <summary>A feature matrix [frames, D] (row-major) from this recognizer's encoder, numbered 1, 2, …</summary>
    /// <param name="features">frames · D values.</param>
    /// <param name="faceFound">One flag a frame (false: the row is ignored and the frame has no face), or null for all true.</param>
    /// <param name="video">The name the result carries.</param>
    /// <exception cref="InvalidDataException">A frame's features hold NaN or ±∞; the message names the video, frame and feature.</exception>
    public VideoAffect PredictFeatures(ReadOnlySpan<float> features, IReadOnlyList<bool>? faceFound = null, string video = "video")
    {
        int dimension = Encoder.FeatureDim;
        if (features.Length % dimension != 0)
            throw new ArgumentException($"{features.Length} values are not whole rows of {dimension} features.", nameof(features));
        int frames = features.Length / dimension;
        if (faceFound is not null && faceFound.Count != frames)
            throw new ArgumentException($"faceFound has {faceFound.Count} flags for {frames} frames.", nameof(faceFound));
        var session = new Session(this, video);
        var rows = new List<FrameAffect>(frames);
        for (int f = 0; f < frames; f++)
            rows.AddRange(session.AddFeatures(f + 1, faceFound is null || faceFound[f] ? features.Slice(f * dimension, dimension).ToArray() : null));
        rows.AddRange(session.Complete());
        return new VideoAffect(video, rows, []);
    }

    /// <summary>
    /// Per-frame results of a stream of feature rows from this recognizer's encoder (e.g. a feature cache read piece by
    /// piece), numbered 1, 2, …, each yielded once no later window can change it. Memory holds a few windows whatever the
    /// stream's length: an hour of video (108,000 frames) needs no more than a minute.
    /// </summary>
    /// <param name="features">One row of <see cref="EncoderBundle.FeatureDim"/> values a frame, or null for a frame without a face. The recognizer keeps each array until the windows that cover it have run: give a new array a frame.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>One result a frame, in order.</returns>
    /// <exception cref="ArgumentException">A row does not hold <see cref="EncoderBundle.FeatureDim"/> values; the message gives the frame.</exception>
    public IEnumerable<FrameAffect> PredictFeatureStream(IEnumerable<float[]?> features, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Stream();

        IEnumerable<FrameAffect> Stream()
        {
            var session = new Session(this, "the feature stream");
            int frame = 0;
            foreach (var row in features)
            {
                cancellationToken.ThrowIfCancellationRequested();
                frame++;
                if (row is not null && row.Length != Encoder.FeatureDim)
                    throw new ArgumentException($"Frame {frame} has {row.Length} features but the encoder {Encoder.Folder} gives {Encoder.FeatureDim}.", nameof(features));
                foreach (var result in session.AddFeatures(frame, row))
                    yield return result;
            }
            foreach (var result in session.Complete())
                yield return result;
        }
    }

    /// <summary>
    /// Per-frame results of a stream of frames, each yielded once no later window can change it. Memory holds one batch
    /// of images and a few windows of features, whatever the stream's length.
    /// </summary>
    /// <param name="frames">Frames with consecutive numbers; a null image is a frame without a face.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>One result a frame, in order.</returns>
    /// <exception cref="ArgumentException">A frame's number is not one more than the last one's.</exception>
    public async IAsyncEnumerable<FrameAffect> PredictStreamAsync(IAsyncEnumerable<RecognizerFrame> frames, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var session = new Session(this, "the stream");
        await foreach (var frame in frames.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in session.AddImage(frame.Frame, frame.Image))
            {
                cancellationToken.ThrowIfCancellationRequested();   // a finished batch releases many rows at once
                yield return row;
            }
        }
        foreach (var row in session.Complete())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!ownsBundles) return;
        Temporal.Dispose();
        Encoder.Dispose();
    }

    // Image files through the background-decoding frame encoder, then frame by frame into the session; numbers without
    // a file, and files that cannot be decoded under BadFramePolicy.Skip, become frames without a face.
    private (List<FrameAffect> Rows, List<BadFrame> BadFrames) Run(string video, IReadOnlyList<int> numbers, IReadOnlyList<int> fileNumbers, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var session = new Session(this, video);
        var rows = new List<FrameAffect>(numbers.Count);
        var bad = new List<BadFrame>();
        int dimension = Encoder.FeatureDim, next = 0;
        var encoder = Encoder.CreateFrameEncoder(Options.BatchSize, Options.DecodeWorkers);
        foreach (var batch in encoder.MapFrames(paths, images => Features(images), Options.BadFrames, cancellationToken))
        {
            var rowOf = batch.Frames.Select((file, row) => (file, row)).ToDictionary(p => p.file, p => p.row);
            var badOf = batch.BadFrames.ToDictionary(b => b.Index);
            foreach (int file in rowOf.Keys.Concat(badOf.Keys).Order())
            {
                while (numbers[next] != fileNumbers[file])
                    rows.AddRange(session.AddFeatures(numbers[next++], null));
                if (rowOf.TryGetValue(file, out int row))
                {
                    rows.AddRange(session.AddFeatures(numbers[next++], batch.Result.AsSpan(row * dimension, dimension).ToArray()));
                }
                else
                {
                    bad.Add(badOf[file] with { Index = numbers[next] });
                    rows.AddRange(session.AddFeatures(numbers[next++], null));
                }
            }
        }
        while (next < numbers.Count)
            rows.AddRange(session.AddFeatures(numbers[next++], null));
        rows.AddRange(session.Complete());
        return (rows, bad);
    }

    private float[] Features(Tensor images)
    {
        using var features = Encoder.Extractor.ExtractFeatures(images);
        using var values = features.to(float32).cpu();
        return values.data<float>().ToArray();
    }

    private static string Describe(IReadOnlyList<int> numbers) =>
        string.Join(", ", numbers.Take(10)) + (numbers.Count > 10 ? $" and {numbers.Count - 10} more" : "");
}
