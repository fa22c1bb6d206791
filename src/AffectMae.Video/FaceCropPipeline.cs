using AffectMae.Core.Data;
using AffectMae.Core.Options;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AffectMae.Video.Cropping;
using AffectMae.Video.Decoding;
using AffectMae.Video.Faces;

namespace AffectMae.Video;

/// <summary>
/// Decode → find the subject's face → crop, each stage on a background task of its own, joined by bounded queues, so
/// the three run at once while memory stays bounded: the caller gets one <see cref="FaceFrame"/> per decoded frame, in
/// order.
/// </summary>
/// <remarks>
/// <para>
/// A queue holds at most <see cref="FacePipelineOptions.QueueCapacity"/> items; a stage that runs ahead waits. Each
/// stage handles frames one at a time in order, so the output order is the decoding order and the tracker sees every
/// frame.
/// </para>
/// <para>
/// Cancelling the token, or leaving the enumeration early, stops every stage between two frames and disposes the
/// frames still queued. An exception in a stage (an unreadable frame, a detector error) ends the enumeration with that
/// exception.
/// </para>
/// </remarks>
public sealed class FaceCropPipeline
{
    private readonly FacePipelineOptions options;
    private readonly Func<IFaceDetector> createDetector;
    private readonly FaceCropper cropper;

    /// <summary>A pipeline whose detector is built from <see cref="FacePipelineOptions.Detector"/> for each run.</summary>
    /// <param name="options">The settings; validated and copied (the model file is looked up when a run starts).</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public FaceCropPipeline(FacePipelineOptions options)
        : this(options, null)
    {
    }

    /// <summary>A pipeline with a detector of the caller's making.</summary>
    /// <param name="options">The settings; validated and copied. <see cref="FacePipelineOptions.Detector"/> is ignored when <paramref name="detectorFactory"/> is given.</param>
    /// <param name="detectorFactory">Makes one detector per run (the run disposes it); <see langword="null"/> builds it from the options.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public FaceCropPipeline(FacePipelineOptions options, Func<IFaceDetector>? detectorFactory)
    {
        this.options = OptionsValidation.ValidatedCopy(new FacePipelineOptionsValidator(), options, nameof(options));
        var detector = this.options.Detector;
        createDetector = detectorFactory ?? (() => FaceDetectors.Create(detector));
        cropper = new FaceCropper(this.options.Crop ?? new FaceCropOptions());
    }

    /// <summary>The crop rule in use.</summary>
    public FaceCropper Cropper => cropper;

    /// <summary>Runs the pipeline over <paramref name="source"/>, blocking the caller between rows.</summary>
    /// <param name="source">The frames; read once. Its <see cref="IFrameSource.Summary"/> is set when the last row has been handed out.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One row per decoded frame, in order; the caller disposes each row.</returns>
    public IEnumerable<FaceFrame> Run(IFrameSource source, CancellationToken cancellationToken = default) =>
        RunAsync(source, cancellationToken).ToBlockingEnumerable(cancellationToken);

    /// <summary>Runs the pipeline over <paramref name="source"/>.</summary>
    /// <param name="source">The frames; read once. Its <see cref="IFrameSource.Summary"/> is set when the last row has been handed out.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One row per decoded frame, in order; the caller disposes each row.</returns>
    public async IAsyncEnumerable<FaceFrame> RunAsync(IFrameSource source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var decoded = Queue<VideoFrame>();
        var tracked = Queue<(VideoFrame Frame, TrackedFace? Face)>();
        var rows = Queue<FaceFrame>();

        var stages = new[]
        {
            Task.Run(() => Decode(source, decoded.Writer, stop.Token), CancellationToken.None),
            Task.Run(() => Track(decoded.Reader, tracked.Writer, stop.Token), CancellationToken.None),
            Task.Run(() => CropFaces(tracked.Reader, rows.Writer, stop.Token), CancellationToken.None),
        };
        try
        {
            await foreach (var row in rows.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    row.Dispose();   // ReadAllAsync looks at the token only when the queue is empty
                    cancellationToken.ThrowIfCancellationRequested();
                }
                yield return row;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(stages).ConfigureAwait(false);   // stages never throw: failures travel through the queues
            Drain(decoded.Reader, f => f.Dispose());
            Drain(tracked.Reader, t => t.Frame.Dispose());
            Drain(rows.Reader, r => r.Dispose());
        }
    }

    private Channel<T> Queue<T>() => Channel.CreateBounded<T>(new BoundedChannelOptions(options.QueueCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private static Task Decode(IFrameSource source, ChannelWriter<VideoFrame> output, CancellationToken token) =>
        Stage(output, async () =>
        {
            foreach (var frame in source.ReadFrames(token))
                await Hand(output, frame, frame, token).ConfigureAwait(false);
        });

    private Task Track(ChannelReader<VideoFrame> input, ChannelWriter<(VideoFrame, TrackedFace?)> output, CancellationToken token) =>
        Stage(output, async () =>
        {
            using var detector = createDetector();
            var tracker = new FaceTracker(detector, options.Tracker);
            await foreach (var frame in input.ReadAllAsync(token).ConfigureAwait(false))
            {
                TrackedFace? face;
                try
                {
                    face = tracker.Next(frame.Image);
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }
                await Hand(output, (frame, face), frame, token).ConfigureAwait(false);
            }
        });

    private Task CropFaces(ChannelReader<(VideoFrame Frame, TrackedFace? Face)> input, ChannelWriter<FaceFrame> output, CancellationToken token) =>
        Stage(output, async () =>
        {
            await foreach (var (frame, face) in input.ReadAllAsync(token).ConfigureAwait(false))
            {
                FaceFrame row;
                using (frame)
                {
                    var square = face is null ? null : cropper.SquareFor(face.Detection.Box, face.Detection.Landmarks);
                    SkiaSharp.SKBitmap? crop = null;
                    if (square is not null)
                    {
                        using var bgr = cropper.Crop(frame.Image, square);
                        crop = BgrImages.ToBitmap(bgr);
                    }
                    row = new FaceFrame(frame.Index, frame.FrameNumber, frame.Timestamp, frame.SourceFile, frame.Width, frame.Height, face, square, crop);
                }
                await Hand(output, row, row, token).ConfigureAwait(false);
            }
        });

    /// <summary>Runs a stage's body and completes its output queue, with the body's exception if it failed, so the failure reaches the caller.</summary>
    private static async Task Stage<T>(ChannelWriter<T> output, Func<Task> body)
    {
        Exception? failure = null;
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }
        output.TryComplete(failure);
    }

    /// <summary>Queues <paramref name="item"/> for the next stage; if that fails (cancelled), disposes what it holds.</summary>
    private static async ValueTask Hand<T>(ChannelWriter<T> output, T item, IDisposable owned, CancellationToken token)
    {
        try
        {
            await output.WriteAsync(item, token).ConfigureAwait(false);
        }
        catch
        {
            owned.Dispose();
            throw;
        }
    }

    private static void Drain<T>(ChannelReader<T> reader, Action<T> dispose)
    {
        while (reader.TryRead(out var item))
            dispose(item);
    }
}
