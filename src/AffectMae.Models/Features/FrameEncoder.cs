using AffectMae.Core.IO;
using AffectMae.Models.Data;
using AffectMae.Models.Runtime;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Features;

/// <summary>
/// Frames → features, the one loop that feature extraction, prediction and the MAE validation loss share: frames are
/// decoded and transformed on background threads a few batches ahead, each batch goes through the encoder on the
/// device without gradients and inside a <see cref="CollectionPause"/>, and results come back in frame order.
/// Memory holds at most the batches being decoded plus the one being encoded.
/// </summary>
public sealed class FrameEncoder
{
    private readonly Func<Tensor, Tensor> encode;
    private readonly Device device;

    /// <summary>Creates an encoder loop around <paramref name="extractor"/>.</summary>
    /// <param name="extractor">The encoder, already on <paramref name="device"/> and in evaluation mode.</param>
    /// <param name="transform">Decoded frame → the encoder's input (e.g. <see cref="ImageTransform.Eval"/>).</param>
    /// <param name="batchSize">Frames an encoder call.</param>
    /// <param name="device">Where the encoder runs; CPU when null.</param>
    /// <param name="decodeWorkers">Threads that decode and transform frames ahead of the encoder; 0 decodes on the calling thread.</param>
    public FrameEncoder(IFrameFeatureExtractor extractor, ImageTransform transform, int batchSize = 64, Device? device = null, int decodeWorkers = 2)
        : this(ValidateExtractor(extractor).ExtractFeatures, extractor.FeatureDim, transform, batchSize, device, decodeWorkers)
    {
    }

    private FrameEncoder(Func<Tensor, Tensor> encode, int featureDim, ImageTransform transform, int batchSize, Device? device, int decodeWorkers)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(decodeWorkers);
        this.encode = encode;
        this.device = device ?? CPU;
        FeatureDim = featureDim;
        Transform = transform;
        BatchSize = batchSize;
        DecodeWorkers = decodeWorkers;
    }

    /// <summary>Feature size D.</summary>
    public int FeatureDim { get; }

    /// <summary>Frames an encoder call.</summary>
    public int BatchSize { get; }

    /// <summary>Threads decoding ahead of the encoder.</summary>
    public int DecodeWorkers { get; }

    /// <summary>The input transform.</summary>
    public ImageTransform Transform { get; }

    /// <summary>The features of image files, row-major [n, D], in the order given.</summary>
    /// <param name="paths">JPEG or PNG files.</param>
    /// <param name="framesDone">Receives the number of frames encoded so far after every batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="InvalidDataException">A file cannot be decoded; the message names it.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public float[] Encode(IReadOnlyList<string> paths, IProgress<int>? framesDone = null, CancellationToken cancellationToken = default) =>
        EncodeFrames(paths, BadFramePolicy.Fail, framesDone, cancellationToken).Features;

    /// <summary>
    /// The features of image files in the order given, with the files that cannot be decoded failing the call or
    /// passed over, as <paramref name="badFrames"/> says.
    /// </summary>
    /// <param name="paths">JPEG or PNG files.</param>
    /// <param name="badFrames">What a file that cannot be decoded does.</param>
    /// <param name="framesDone">Receives the number of frames read (encoded or passed over) so far after every batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>Row-major [encoded, D] features, which files they belong to, and the files passed over.</returns>
    /// <exception cref="InvalidDataException">A file cannot be decoded under <see cref="BadFramePolicy.Fail"/>; the message names it.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public EncodedFrames EncodeFrames(IReadOnlyList<string> paths, BadFramePolicy badFrames, IProgress<int>? framesDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var features = new List<float>();
        var encoded = new List<int>(paths.Count);
        var bad = new List<BadFrame>();
        foreach (var batch in MapFrames(paths, Features, badFrames, cancellationToken))
        {
            if (batch.Result is not null) features.AddRange(batch.Result);
            encoded.AddRange(batch.Frames);
            bad.AddRange(batch.BadFrames);
            framesDone?.Report(encoded.Count + bad.Count);
        }
        return new EncodedFrames([.. features], encoded, bad);
    }

    /// <summary>The features of decoded images (Rgba8888, unpremultiplied, as <see cref="ImageDecoder.Decode(string)"/> gives), row-major [n, D].</summary>
    /// <param name="images">The images; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public float[] Encode(IReadOnlyList<SKBitmap> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        return [.. Map(images, Stage, Features, BadFramePolicy.Fail, cancellationToken).SelectMany(batch => batch.Result!)];
    }

    /// <summary>
    /// Runs <paramref name="onBatch"/> on every batch of decoded, transformed image files ([B, 3, S, S] on the device,
    /// without gradients, inside a collection pause and a dispose scope) and yields its results in order.
    /// </summary>
    /// <typeparam name="TResult">A managed result (tensors made inside <paramref name="onBatch"/> are disposed after it returns).</typeparam>
    /// <param name="paths">Image files.</param>
    /// <param name="onBatch">What to compute from a batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="InvalidDataException">A file cannot be decoded; the message names it.</exception>
    public IEnumerable<TResult> MapBatches<TResult>(IReadOnlyList<string> paths, Func<Tensor, TResult> onBatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onBatch);
        return Map(paths, Stage, onBatch, BadFramePolicy.Fail, cancellationToken).Select(batch => batch.Result!);
    }

    /// <summary>
    /// As <see cref="MapBatches{TResult}"/>, with files that cannot be decoded failing the call or passed over, as
    /// <paramref name="badFrames"/> says: a batch then holds the frames that decoded, and says which they are.
    /// </summary>
    /// <typeparam name="TResult">A managed result (tensors made inside <paramref name="onBatch"/> are disposed after it returns).</typeparam>
    /// <param name="paths">Image files, taken <see cref="BatchSize"/> at a time.</param>
    /// <param name="onBatch">What to compute from the batch's decoded frames; not called when none decoded.</param>
    /// <param name="badFrames">What a file that cannot be decoded does.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>One entry a batch of <see cref="BatchSize"/> files, in order.</returns>
    /// <exception cref="InvalidDataException">A file cannot be decoded under <see cref="BadFramePolicy.Fail"/>; the message names it.</exception>
    public IEnumerable<FrameBatch<TResult>> MapFrames<TResult>(IReadOnlyList<string> paths, Func<Tensor, TResult> onBatch, BadFramePolicy badFrames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onBatch);
        if (!Enum.IsDefined(badFrames))
            throw new ArgumentOutOfRangeException(nameof(badFrames), badFrames, "Use BadFramePolicy.Fail or Skip.");
        return Map(paths, Stage, onBatch, badFrames, cancellationToken);
    }

    private float[] Features(Tensor images)
    {
        using var features = encode(images);                                    // [B, D]
        using var values = features.to(float32).cpu();
        return values.data<float>().ToArray();
    }

    private void Stage(string path, Span<float> destination)
    {
        using var bitmap = ImageDecoder.Decode(path, Transform.MaxPixels);
        Transform.Apply(bitmap, Unused, destination);
    }

    private void Stage(SKBitmap image, Span<float> destination) => Transform.Apply(image, Unused, destination);

    // Decoded pixels of the frames of one batch that decoded ([frames, 3, S, S] flattened), and those that did not.
    private sealed record StagedBatch(float[] Pixels, int[] Frames, BadFrame[] BadFrames);

    private IEnumerable<FrameBatch<TResult>> Map<TSource, TResult>(IReadOnlyList<TSource> items, SpanAction<TSource> stage, Func<Tensor, TResult> onBatch, BadFramePolicy badFrames, CancellationToken cancellationToken)
    {
        int batches = (items.Count + BatchSize - 1) / BatchSize;
        if (batches == 0) yield break;
        int side = Transform.Side, length = Transform.OutputLength;
        StagedBatch StageBatch(int k, CancellationToken token)
        {
            int start = k * BatchSize, count = Math.Min(BatchSize, items.Count - start);
            var pixels = new float[(long)count * length];
            var frames = new List<int>(count);
            var bad = new List<BadFrame>();
            for (int i = start; i < start + count; i++)
            {
                token.ThrowIfCancellationRequested();
                try
                {
                    stage(items[i], pixels.AsSpan(frames.Count * length, length));
                    frames.Add(i);
                }
                catch (InvalidDataException e) when (badFrames == BadFramePolicy.Skip)
                {
                    bad.Add(new BadFrame(i, items[i]?.ToString() ?? "", PrintableText.Escape(e.Message)));
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{e.Message} To go on without such frames, treat them as missing ({nameof(BadFramePolicy)}.{nameof(BadFramePolicy.Skip)}; CLI: --bad-frames skip).", e);
                }
            }
            if (frames.Count < count) Array.Resize(ref pixels, frames.Count * length);
            return new StagedBatch(pixels, [.. frames], [.. bad]);
        }

        using var pipeline = DecodeWorkers > 0 ? new PrefetchPipeline<StagedBatch>(batches, DecodeWorkers, DecodeWorkers + 1, StageBatch, cancellationToken) : null;
        for (int k = 0; k < batches; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var staged = pipeline is null ? StageBatch(k, cancellationToken) : pipeline.Take(k);
            TResult? result = default;
            if (staged.Frames.Length > 0)
            {
                using (no_grad())
                using (CollectionPause.Begin())
                using (var scope = NewDisposeScope())
                {
                    var images = tensor(staged.Pixels).reshape(staged.Frames.Length, 3, side, side);   // [B, 3, S, S]
                    result = onBatch(images.device == device ? images : images.to(device));
                }
            }
            yield return new FrameBatch<TResult>(staged.Frames, result, staged.BadFrames);
        }
    }

    private static IFrameFeatureExtractor ValidateExtractor(IFrameFeatureExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        return extractor;
    }

    // The eval transform draws nothing; a transform with a random crop or flip gets the same draws for every frame.
    private static Random Unused => new(0);

    private delegate void SpanAction<in T>(T item, Span<float> destination);
}

/// <summary>The features of the frames that decoded, and the frames that did not.</summary>
/// <param name="Features">Row-major [Encoded.Count, D].</param>
/// <param name="Encoded">Positions (in the list of files given) of the rows of <paramref name="Features"/>, ascending.</param>
/// <param name="BadFrames">The files passed over under <see cref="BadFramePolicy.Skip"/>.</param>
public sealed record EncodedFrames(float[] Features, IReadOnlyList<int> Encoded, IReadOnlyList<BadFrame> BadFrames);

/// <summary>One batch of frame files through <see cref="FrameEncoder.MapFrames{TResult}"/>.</summary>
/// <typeparam name="TResult">What was computed from the batch.</typeparam>
/// <param name="Frames">Positions (in the list of files given) of the frames that decoded, in the order of the batch's rows.</param>
/// <param name="Result">What was computed from them; the default value when none decoded.</param>
/// <param name="BadFrames">The batch's files passed over under <see cref="BadFramePolicy.Skip"/>.</param>
public sealed record FrameBatch<TResult>(IReadOnlyList<int> Frames, TResult? Result, IReadOnlyList<BadFrame> BadFrames);
