namespace AffectMae.Video.Faces;

/// <summary>The subject's face in one frame, as <see cref="FaceTracker"/> follows it.</summary>
/// <param name="Detection">The smoothed box and landmarks, with the score of this frame's detection.</param>
/// <param name="TrackNumber">1 for the first subject taken; it grows each time the track is lost and a face taken anew.</param>
/// <param name="WholeFrameSearch">Whether this frame was searched whole (else only around the tracked face).</param>
public sealed record TrackedFace(FaceDetection Detection, int TrackNumber, bool WholeFrameSearch);
