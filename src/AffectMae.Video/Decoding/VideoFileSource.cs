using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace AffectMae.Video.Decoding;

/// <summary>
/// A video file decoded frame by frame with FFmpeg through OpenCV's <see cref="VideoCapture"/>: every frame the
/// container holds, in order, with the container's own timestamp.
/// </summary>
/// <remarks>
/// <para>
/// <b>Frame count.</b> The rows follow the frames really decoded. The header's count (<c>CAP_PROP_FRAME_COUNT</c>) is
/// often an estimate (FFmpeg multiplies duration by rate when the stream carries no count), so it is only compared:
/// a difference is logged as a warning and stated in <see cref="DecodeSummary.Notes"/>.
/// </para>
/// <para>
/// <b>Timestamps.</b> Each frame's time is the container's presentation time (<c>CAP_PROP_POS_MSEC</c> after the
/// frame is read), so a variable frame rate gives exact times; the summary reports the shortest and longest gap and
/// flags a rate that varies by more than 10 %. A frame whose time is missing or not after the previous one gets
/// previous + 1 / nominal rate, and the summary says how many did.
/// </para>
/// <para>
/// <b>Rotation.</b> Phones store portrait video as landscape with a rotation in the metadata. OpenCV 4.13 reads it
/// (<c>CAP_PROP_ORIENTATION_META</c>) and, with <c>CAP_PROP_ORIENTATION_AUTO</c> (on by default for FFmpeg), turns
/// the frames; this source asks for that explicitly, turns the frames itself if the backend would not, and reports the
/// angle in <see cref="FrameSourceInfo"/>. With <c>autoRotate: false</c> frames come out as stored.
/// </para>
/// </remarks>
public sealed class VideoFileSource : IFrameSource
{
    private readonly VideoCapture capture;
    private readonly ILogger logger;
    private readonly RotateFlags? rotateByHand;
    private bool enumerated;

    /// <summary>Opens <paramref name="path"/> for decoding.</summary>
    /// <param name="path">A video file FFmpeg reads (mp4, mkv, avi, mov, webm, …).</param>
    /// <param name="autoRotate">Turn frames upright by the file's rotation metadata.</param>
    /// <param name="logger">Receives a warning for each note of the <see cref="Summary"/>; none by default.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">FFmpeg cannot open the file as a video; the message names it.</exception>
    /// <exception cref="InvalidOperationException">OpenCV's native runtime package is missing.</exception>
    public VideoFileSource(string path, bool autoRotate = true, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Video file '{path}' does not exist.", path);
        OpenCvRuntime.EnsureLoaded();
        this.logger = logger ?? NullLogger.Instance;
        Path = path;

        capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new InvalidDataException($"Cannot open '{path}' as a video: FFmpeg (through OpenCV) finds no readable video stream in it.");
        }

        capture.Set(VideoCaptureProperties.OrientationAuto, autoRotate ? 1 : 0);
        int rotation = NormalizeDegrees(capture.Get(VideoCaptureProperties.OrientationMeta));
        bool backendRotates = capture.Get(VideoCaptureProperties.OrientationAuto) != 0;
        if (autoRotate && rotation != 0 && !backendRotates)
            rotateByHand = RotationFor(rotation);

        int width = (int)capture.Get(VideoCaptureProperties.FrameWidth);
        int height = (int)capture.Get(VideoCaptureProperties.FrameHeight);
        if (rotateByHand is not null && rotation % 180 != 0)
            (width, height) = (height, width);
        double fps = capture.Get(VideoCaptureProperties.Fps);
        double count = capture.Get(VideoCaptureProperties.FrameCount);
        Info = new FrameSourceInfo(
            FrameSourceKind.VideoFile,
            width,
            height,
            double.IsFinite(fps) && fps > 0 ? fps : null,
            double.IsFinite(count) && count > 0 ? (int)Math.Round(count) : null,
            rotation,
            autoRotate && rotation != 0);
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public FrameSourceInfo Info { get; }

    /// <inheritdoc />
    public DecodeSummary? Summary { get; private set; }

    /// <summary>The rotation that turns a stored frame upright, for a clockwise metadata angle.</summary>
    /// <param name="degrees">0, 90, 180 or 270.</param>
    /// <returns>The OpenCV rotation, or <see langword="null"/> for 0.</returns>
    public static RotateFlags? RotationFor(int degrees) => NormalizeDegrees(degrees) switch
    {
        0 => null,
        90 => RotateFlags.Rotate90Clockwise,
        180 => RotateFlags.Rotate180,
        270 => RotateFlags.Rotate90Counterclockwise,
        var other => throw new ArgumentOutOfRangeException(nameof(degrees), other, "Rotation metadata must be a multiple of 90 degrees."),
    };

    /// <inheritdoc />
    public IEnumerable<VideoFrame> ReadFrames(CancellationToken cancellationToken = default)
    {
        if (enumerated)
            throw new InvalidOperationException($"The frames of '{Path}' were already read; open the file again to read them twice.");
        enumerated = true;
        return Decode(cancellationToken);
    }

    private IEnumerable<VideoFrame> Decode(CancellationToken cancellationToken)
    {
        var times = new FrameTimes(Info.FramesPerSecond);
        var nominal = TimeSpan.FromSeconds(1.0 / (Info.FramesPerSecond ?? 25.0));
        int index = 0, repairedTimes = 0;
        TimeSpan? previous = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = new Mat();
            if (!capture.Read(image) || image.Empty())
            {
                image.Dispose();
                break;
            }

            double ms = capture.Get(VideoCaptureProperties.PosMsec);
            var timestamp = double.IsFinite(ms) && ms >= 0 ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
            if (timestamp is null || (previous is { } p && timestamp <= p))
            {
                timestamp = previous is { } q ? q + nominal : TimeSpan.Zero;
                repairedTimes++;
            }
            previous = timestamp;
            times.Add(timestamp.Value);

            image = ToUprightBgr(image);
            yield return new VideoFrame(index, index + 1, timestamp, image);
            index++;
        }

        Summary = Summarize(index, times, repairedTimes);
        foreach (string note in Summary.Notes)
            logger.LogWarning("{Video}: {Note}", Path, note);
    }

    private Mat ToUprightBgr(Mat image)
    {
        if (image.Type() != MatType.CV_8UC3)
        {
            var code = image.Channels() switch
            {
                1 => ColorConversionCodes.GRAY2BGR,
                4 => ColorConversionCodes.BGRA2BGR,
                var c => throw new InvalidDataException($"'{Path}' decodes to {c}-channel frames of type {image.Type()}; expected 8-bit BGR."),
            };
            var bgr = new Mat();
            Cv2.CvtColor(image, bgr, code);
            image.Dispose();
            image = bgr;
        }
        if (rotateByHand is { } rotate)
        {
            var turned = new Mat();
            Cv2.Rotate(image, turned, rotate);
            image.Dispose();
            image = turned;
        }
        return image;
    }

    private DecodeSummary Summarize(int decoded, FrameTimes times, int repairedTimes)
    {
        var notes = new List<string>();
        var inv = CultureInfo.InvariantCulture;
        if (Info.HeaderFrameCount is { } header && header != decoded)
            notes.Add(string.Create(inv, $"The header announces {header} frames but {decoded} were decoded; every output has one row per decoded frame."));
        if (decoded == 0)
            notes.Add("No frame could be decoded.");
        if (times.VariableFrameRate)
            notes.Add(string.Create(inv, $"Variable frame rate: gaps between frames range from {times.MinInterval!.Value.TotalMilliseconds:0.###} to {times.MaxInterval!.Value.TotalMilliseconds:0.###} ms (nominal {1000.0 / (Info.FramesPerSecond ?? double.NaN):0.###} ms); timestamps are the container's own."));
        if (repairedTimes > 0)
            notes.Add(string.Create(inv, $"{repairedTimes} frame(s) had no usable timestamp (missing or not after the previous frame) and got the previous one plus 1/{Info.FramesPerSecond ?? 25:0.###} s."));
        if (Info.RotationDegrees != 0)
            notes.Add(Info.RotationApplied
                ? string.Create(inv, $"The metadata rotates the video by {Info.RotationDegrees} degrees clockwise; frames were turned upright.")
                : string.Create(inv, $"The metadata rotates the video by {Info.RotationDegrees} degrees clockwise; frames were left as stored (autoRotate is off)."));
        return new DecodeSummary(decoded, Info.HeaderFrameCount, times.First, times.Last, times.MinInterval, times.MaxInterval,
            times.VariableFrameRate, notes);
    }

    private static int NormalizeDegrees(double degrees)
    {
        int d = (int)Math.Round(double.IsFinite(degrees) ? degrees : 0);
        return ((d % 360) + 360) % 360;
    }

    /// <inheritdoc />
    public void Dispose() => capture.Dispose();
}
