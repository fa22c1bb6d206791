using System.ComponentModel.DataAnnotations;

namespace AffectMae.Video.Faces;

/// <summary>How <see cref="FaceTracker"/> keeps one subject across frames. Cross-field rules are in <see cref="FaceTrackerOptionsValidator"/>.</summary>
public sealed class FaceTrackerOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "FaceTracker";

    /// <summary>
    /// Every how many frames the whole frame is searched. The frames in between search only the region around the
    /// tracked face (<see cref="SearchRegionScale"/>), which is cheaper; a frame whose region shows no face is searched
    /// whole at once. 1 searches every frame whole.
    /// </summary>
    /// <value>The default value is 5.</value>
    [Range(1, 10_000, ErrorMessage = "FaceTrackerOptions.DetectEvery must lie in [1, 10000] frames; use 1 to search every frame whole, 5 for speed.")]
    public int DetectEvery { get; set; } = 5;

    /// <summary>Side of the region searched between whole-frame searches, in multiples of the tracked box's longer side (centred on the box).</summary>
    /// <value>The default value is 2.5.</value>
    [Range(1.2, 10.0, ErrorMessage = "FaceTrackerOptions.SearchRegionScale must lie in [1.2, 10] box sides; use 2.5 (larger follows faster motion, costs more).")]
    public double SearchRegionScale { get; set; } = 2.5;

    /// <summary>
    /// Weight of the newest detection in the exponential smoothing of the box and landmarks:
    /// smoothed = w · detected + (1 − w) · previous. 1 switches smoothing off; smaller is steadier and lags more
    /// (a face moving v pixels a frame is trailed by about v · (1 − w) / w pixels).
    /// </summary>
    /// <value>The default value is 0.6.</value>
    [Range(0.05, 1.0, ErrorMessage = "FaceTrackerOptions.Smoothing must lie in [0.05, 1]; 1 switches smoothing off, 0.6 steadies the box with a lag of under one frame's motion.")]
    public double Smoothing { get; set; } = 0.6;

    /// <summary>Intersection over union with the tracked box a detection needs to continue the track; other faces are not the subject.</summary>
    /// <value>The default value is 0.3.</value>
    [Range(0.01, 1.0, ErrorMessage = "FaceTrackerOptions.MinIou must lie in [0.01, 1]; use 0.3.")]
    public double MinIou { get; set; } = 0.3;

    /// <summary>
    /// Frames in a row without the subject's face before the track is dropped; until then another face is not taken
    /// for the subject (those frames still report no face). After it, the largest face found starts a new track.
    /// </summary>
    /// <value>The default value is 25 (one second at 25 frames/s).</value>
    [Range(0, 100_000, ErrorMessage = "FaceTrackerOptions.MaxMissedFrames must lie in [0, 100000]; use 25 (about one second).")]
    public int MaxMissedFrames { get; set; } = 25;
}
