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
    public float[] Encode(IReadOnlyList<string> paths, IProgress<int>? framesDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Collect(paths.Count, MapBatches(paths, Features, cancellationToken), framesDone);
    }

    /// <summary>The features of decoded images (Rgba8888, unpremultiplied, as <see cref="ImageDecoder.Decode(string)"/> gives), row-major [n, D].</summary>
    /// <param name="images">The images; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public float[] Encode(IReadOnlyList<SKBitmap> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Collect(images.Count, Map(images, Stage, Features, cancellationToken), null);
    }

    /// <summary>
    /// Runs <paramref name="onBatch"/> on every batch of decoded, transformed image files ([B, 3, S, S] on the device,
    /// without gradients, inside a collection pause and a dispose scope) and yields its results in order.
    /// </summary>
    /// <typeparam name="TResult">A managed result (tensors made inside <paramref name="onBatch"/> are disposed after it returns).</typeparam>
    /// <param name="paths">Image files.</param>
    /// <param name="onBatch">What to compute from a batch.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public IEnumerable<TResult> MapBatches<TResult>(IReadOnlyList<string> paths, Func<Tensor, TResult> onBatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(onBatch);
        return Map(paths, Stage, onBatch, cancellationToken);
    }

    private float[] Features(Tensor images)
    {
        using var features = encode(images);                                    // [B, D]
        using var values = features.to(float32).cpu();
        return values.data<float>().ToArray();
    }

    private static float[] Collect(int count, IEnumerable<float[]> batches, IProgress<int>? framesDone)
    {
        var all = new List<float>();
        foreach (var batch in batches)
        {
            all.AddRange(batch);
            framesDone?.Report(Math.Min(count, all.Count));
        }
        return [.. all];
    }

    private void Stage(string path, Span<float> destination)
    {
        using var bitmap = ImageDecoder.Decode(path, Transform.MaxPixels);
        Transform.Apply(bitmap, Unused, destination);
    }

    private void Stage(SKBitmap image, Span<float> destination) => Transform.Apply(image, Unused, destination);

    private IEnumerable<TResult> Map<TSource, TResult>(IReadOnlyList<TSource> items, SpanAction<TSource> stage, Func<Tensor, TResult> onBatch, CancellationToken cancellationToken)
    {
        int batches = (items.Count + BatchSize - 1) / BatchSize;
        if (batches == 0) yield break;
        int side = Transform.Side, length = Transform.OutputLength;
        float[] StageBatch(int k, CancellationToken token)
        {
            int start = k * BatchSize, count = Math.Min(BatchSize, items.Count - start);
            var pixels = new float[(long)count * length];
            for (int i = 0; i < count; i++)
            {
                token.ThrowIfCancellationRequested();
                stage(items[start + i], pixels.AsSpan(i * length, length));
            }
            return pixels;
        }

        using var pipeline = DecodeWorkers > 0 ? new PrefetchPipeline<float[]>(batches, DecodeWorkers, DecodeWorkers + 1, StageBatch, cancellationToken) : null;
        for (int k = 0; k < batches; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pixels = pipeline is null ? StageBatch(k, cancellationToken) : pipeline.Take(k);
            TResult result;
            using (no_grad())
            using (CollectionPause.Begin())
            using (var scope = NewDisposeScope())
            {
                var images = tensor(pixels).reshape(pixels.Length / length, 3, side, side);   // [B, 3, S, S]
                result = onBatch(images.device == device ? images : images.to(device));
            }
            yield return result;
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
