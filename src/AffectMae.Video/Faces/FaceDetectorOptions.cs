using System.ComponentModel.DataAnnotations;

namespace AffectMae.Video.Faces;

/// <summary>
/// Which face detector to build and how it searches (<see cref="FaceDetectors.Create"/>). Plain properties, so the
/// settings bind from configuration and serialise to JSON. Cross-field rules are in <see cref="FaceDetectorOptionsValidator"/>.
/// </summary>
public sealed class FaceDetectorOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "FaceDetector";

    /// <summary>The detector.</summary>
    /// <value>The default value is <see cref="FaceDetectorKind.Cascade"/>.</value>
    public FaceDetectorKind Kind { get; set; } = FaceDetectorKind.Cascade;

    /// <summary>
    /// The model file: a path, or a bare file name looked up in the places <see cref="FaceModelFiles"/> documents.
    /// <see langword="null"/> means <see cref="FaceModelFiles.DefaultCascade"/> for a cascade and
    /// <see cref="FaceModelFiles.YuNetFileName"/> for YuNet, both looked up the same way. Models are never downloaded.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>
    /// Detection resolution in pixels. A cascade sees frames shrunk so that their longer side is at most this (never
    /// enlarged); YuNet sees every image scaled to fit a square of this side (padded at the right and bottom), so it
    /// must be a multiple of 32. Boxes are mapped back to the frame's pixels either way.
    /// </summary>
    /// <value>The default value is 640.</value>
    [Range(64, 4096, ErrorMessage = "FaceDetectorOptions.DetectionSize must lie in [64, 4096] pixels; 640 suits most videos (raise it for small faces in large frames).")]
    public int DetectionSize { get; set; } = 640;

    /// <summary>Smallest face side searched for, in pixels of the detection image (cascades only; YuNet finds faces from about 10 pixels).</summary>
    /// <value>The default value is 24.</value>
    [Range(8, 4096, ErrorMessage = "FaceDetectorOptions.MinFaceSize must lie in [8, 4096] pixels of the detection image; use 24.")]
    public int MinFaceSize { get; set; } = 24;

    /// <summary>Factor between the scales a cascade searches (OpenCV's <c>scaleFactor</c>); smaller is slower and finds more.</summary>
    /// <value>The default value is 1.1.</value>
    [Range(1.01, 2.0, ErrorMessage = "FaceDetectorOptions.CascadeScaleFactor must lie in [1.01, 2]; use 1.1.")]
    public double CascadeScaleFactor { get; set; } = 1.1;

    /// <summary>Overlapping hits a cascade needs to keep a face (OpenCV's <c>minNeighbors</c>); larger means fewer false faces and misses more small ones.</summary>
    /// <value>The default value is 8 (with the contrast equalisation of <see cref="CascadeFaceDetector"/>, 5 let false faces through in our tests, but found a 27-pixel face that 8 missed).</value>
    [Range(1, 100, ErrorMessage = "FaceDetectorOptions.CascadeMinNeighbors must lie in [1, 100]; use 8 (5 finds smaller faces and more false ones).")]
    public int CascadeMinNeighbors { get; set; } = 8;

    /// <summary>Lowest YuNet score kept.</summary>
    /// <value>The default value is 0.9 (OpenCV's sample).</value>
    [Range(0.0, 1.0, ErrorMessage = "FaceDetectorOptions.ScoreThreshold must lie in [0, 1]; use 0.9 (lower finds more faces and more false ones).")]
    public float ScoreThreshold { get; set; } = 0.9f;

    /// <summary>IoU above which YuNet's non-maximum suppression merges two boxes.</summary>
    /// <value>The default value is 0.3.</value>
    [Range(0.0, 1.0, ErrorMessage = "FaceDetectorOptions.NmsThreshold must lie in [0, 1]; use 0.3.")]
    public float NmsThreshold { get; set; } = 0.3f;

    /// <summary>Most YuNet boxes kept before suppression.</summary>
    /// <value>The default value is 500.</value>
    [Range(1, 100_000, ErrorMessage = "FaceDetectorOptions.TopK must lie in [1, 100000]; use 500.")]
    public int TopK { get; set; } = 500;
}
