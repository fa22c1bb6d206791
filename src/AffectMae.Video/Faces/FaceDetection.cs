namespace AffectMae.Video.Faces;

/// <summary>One face found in a frame.</summary>
/// <param name="Box">The face box in pixels of the frame.</param>
/// <param name="Score">The detector's confidence in [0, 1]; cascades give no calibrated score and report 1.</param>
/// <param name="Landmarks">Five landmarks when the detector gives them (YuNet), else <see langword="null"/>.</param>
public sealed record FaceDetection(FaceBox Box, float Score, FaceLandmarks? Landmarks);
