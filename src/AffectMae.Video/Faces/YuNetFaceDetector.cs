using AffectMae.Core.Options;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace AffectMae.Video.Faces;

/// <summary>
/// Faces from YuNet (Wu et al., "YuNet: A Tiny Millisecond-level Face Detector", 2023) through OpenCV's
/// <see cref="FaceDetectorYN"/>, with scores and five landmarks. The ONNX file (<c>face_detection_yunet_2023mar.onnx</c>
/// from the OpenCV Zoo, MIT licence) is given by the user or found as <see cref="FaceModelFiles"/> describes.
/// </summary>
/// <remarks>
/// OpenCvSharp 4.13 exposes no way to change the network's input size after creation, so every image is scaled to fit
/// a square of <see cref="FaceDetectorOptions.DetectionSize"/> and padded with black at the right and bottom (the
/// corner stays at the origin, so mapping back is one division). A row of OpenCV's result is
/// <c>x, y, w, h, right eye x, y, left eye x, y, nose x, y, right mouth corner x, y, left mouth corner x, y, score</c>.
/// </remarks>
public sealed class YuNetFaceDetector : IFaceDetector
{
    /// <summary>Numbers in one row of <see cref="FaceDetectorYN"/>'s result.</summary>
    public const int ResultColumns = 15;

    private readonly FaceDetectorYN detector;
    private readonly int side;

    /// <summary>Loads YuNet from the file named by <paramref name="options"/>.</summary>
    /// <param name="options">Options with <see cref="FaceDetectorOptions.Kind"/> = <see cref="FaceDetectorKind.YuNet"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid or name another kind.</exception>
    /// <exception cref="FileNotFoundException">The ONNX file is not found.</exception>
    /// <exception cref="InvalidDataException">OpenCV cannot load the file as a YuNet network.</exception>
    public YuNetFaceDetector(FaceDetectorOptions options)
    {
        OptionsValidation.ThrowIfInvalid(new FaceDetectorOptionsValidator(), options, nameof(options));
        if (options.Kind != FaceDetectorKind.YuNet)
            throw new ArgumentException($"These options are for {options.Kind}; a YuNetFaceDetector needs Kind = YuNet (or use FaceDetectors.Create).", nameof(options));
        OpenCvRuntime.EnsureLoaded();
        ModelPath = FaceModelFiles.Resolve(options.ModelPath, FaceDetectorKind.YuNet);
        side = options.DetectionSize;
        try
        {
            detector = FaceDetectorYN.Create(ModelPath, "", new Size(side, side), options.ScoreThreshold, options.NmsThreshold,
                options.TopK, Backend.OPENCV, Target.CPU);
        }
        catch (OpenCVException e)
        {
            throw new InvalidDataException($"OpenCV cannot load '{ModelPath}' as a YuNet face detector: {e.Message}", e);
        }
    }

    /// <summary>The ONNX file in use.</summary>
    public string ModelPath { get; }

    /// <inheritdoc />
    public bool GivesLandmarks => true;

    /// <inheritdoc />
    public IReadOnlyList<FaceDetection> Detect(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty())
            return [];
        float scale = side / (float)Math.Max(image.Width, image.Height);
        using var input = new Mat(new Size(side, side), MatType.CV_8UC3, Scalar.Black);
        var fitted = new Size(Math.Min(side, (int)Math.Round(image.Width * scale)), Math.Min(side, (int)Math.Round(image.Height * scale)));
        using (var target = input[new Rect(0, 0, fitted.Width, fitted.Height)])
            Cv2.Resize(image, target, fitted, 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);

        using var faces = new Mat();
        detector.Detect(input, faces);
        return Parse(faces, 1 / scale);
    }

    /// <summary>Turns OpenCV's result rows into detections, mapping coordinates back by <paramref name="toFrame"/>.</summary>
    /// <param name="faces">N × 15 single-precision rows as <see cref="FaceDetectorYN"/> returns them (empty for none).</param>
    /// <param name="toFrame">Factor from detection pixels to frame pixels.</param>
    /// <returns>One detection per row.</returns>
    internal static FaceDetection[] Parse(Mat faces, float toFrame)
    {
        if (faces.Empty() || faces.Rows == 0)
            return [];
        if (faces.Cols != ResultColumns || faces.Type() != MatType.CV_32FC1)
            throw new InvalidDataException($"FaceDetectorYN returned {faces.Rows}×{faces.Cols} of {faces.Type()}; expected N×{ResultColumns} floats.");
        faces.GetArray(out float[] v);
        var result = new FaceDetection[faces.Rows];
        for (int i = 0; i < result.Length; i++)
        {
            int o = i * ResultColumns;
            FacePoint Point(int k) => new(v[o + 4 + 2 * k] * toFrame, v[o + 5 + 2 * k] * toFrame);
            var box = new FaceBox(v[o], v[o + 1], v[o + 2], v[o + 3]).Scale(toFrame);
            result[i] = new FaceDetection(box, v[o + 14], new FaceLandmarks(Point(0), Point(1), Point(2), Point(3), Point(4)));
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose() => detector.Dispose();
}
