using AffectMae.Core.Options;
using OpenCvSharp;

namespace AffectMae.Video.Faces;

/// <summary>
/// Faces from a Viola–Jones cascade (OpenCV's <see cref="CascadeClassifier"/>, Haar or LBP XML): the image is turned
/// to grey, shrunk to <see cref="FaceDetectorOptions.DetectionSize"/>, its contrast equalised tile by tile (CLAHE, clip
/// limit 2, 8 × 8 tiles), and searched at every scale. Gives no landmarks and no calibrated score (every face has
/// score 1).
/// </summary>
/// <remarks>
/// OpenCV's face-detection sample equalises the whole histogram instead. That fails when a large uniform area (letterbox
/// bars, a dark room) fills most of the histogram and squeezes the face into a few grey levels. Measured on every 5th
/// frame of the benchmark's 640 × 480 video (astronaut.png on a dark background): global equalisation with
/// minNeighbors 5 found the face in 33 of 50 frames; CLAHE found it in 50 of 50, with 7 false faces at minNeighbors 5
/// and none at 8 (the default of <see cref="FaceDetectorOptions.CascadeMinNeighbors"/>).
/// </remarks>
public sealed class CascadeFaceDetector : IFaceDetector
{
    private readonly CascadeClassifier cascade;
    private readonly CLAHE equalizer = Cv2.CreateCLAHE(2.0, new Size(8, 8));
    private readonly FaceDetectorOptions options;

    /// <summary>Loads the cascade named by <paramref name="options"/> (see <see cref="FaceModelFiles"/>).</summary>
    /// <param name="options">Options with <see cref="FaceDetectorOptions.Kind"/> = <see cref="FaceDetectorKind.Cascade"/>; validated and copied.</param>
    /// <exception cref="ArgumentException">The options are invalid or name another kind.</exception>
    /// <exception cref="FileNotFoundException">The cascade file is not found.</exception>
    /// <exception cref="InvalidDataException">The file is not a cascade OpenCV can load.</exception>
    public CascadeFaceDetector(FaceDetectorOptions options)
    {
        options = OptionsValidation.ValidatedCopy(new FaceDetectorOptionsValidator(), options, nameof(options));   // later changes to the caller's object change nothing
        if (options.Kind != FaceDetectorKind.Cascade)
            throw new ArgumentException($"These options are for {options.Kind}; a CascadeFaceDetector needs Kind = Cascade (or use FaceDetectors.Create).", nameof(options));
        OpenCvRuntime.EnsureLoaded();
        ModelPath = FaceModelFiles.Resolve(options.ModelPath, FaceDetectorKind.Cascade);
        cascade = new CascadeClassifier();
        bool loaded;
        try
        {
            loaded = cascade.Load(ModelPath) && !cascade.Empty();
        }
        catch (OpenCVException e)
        {
            cascade.Dispose();
            throw new InvalidDataException($"'{ModelPath}' is not a Haar or LBP cascade OpenCV can load: {e.Message}", e);
        }
        if (!loaded)
        {
            cascade.Dispose();
            throw new InvalidDataException($"'{ModelPath}' is not a Haar or LBP cascade OpenCV can load.");
        }
        this.options = options;
    }

    /// <summary>The cascade file in use.</summary>
    public string ModelPath { get; }

    /// <inheritdoc />
    public bool GivesLandmarks => false;

    /// <inheritdoc />
    public IReadOnlyList<FaceDetection> Detect(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty())
            return [];
        float scale = Math.Min(1f, options.DetectionSize / (float)Math.Max(image.Width, image.Height));
        using var grey = new Mat();
        Cv2.CvtColor(image, grey, ColorConversionCodes.BGR2GRAY);
        if (scale < 1f)
            Cv2.Resize(grey, grey, new Size(), scale, scale, InterpolationFlags.Area);
        equalizer.Apply(grey, grey);
        var found = cascade.DetectMultiScale(grey, options.CascadeScaleFactor, options.CascadeMinNeighbors,
            HaarDetectionTypes.ScaleImage, new Size(options.MinFaceSize, options.MinFaceSize));
        return found.Select(r => new FaceDetection(new FaceBox(r.X, r.Y, r.Width, r.Height).Scale(1 / scale), 1f, null)).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        cascade.Dispose();
        equalizer.Dispose();
    }
}
