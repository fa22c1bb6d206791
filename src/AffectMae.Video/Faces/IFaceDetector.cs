using OpenCvSharp;

namespace AffectMae.Video.Faces;

/// <summary>Finds faces in a BGR image. Implementations are not thread-safe: use one detector per thread.</summary>
public interface IFaceDetector : IDisposable
{
    /// <summary>Whether detections carry <see cref="FaceDetection.Landmarks"/> (needed to turn crops upright).</summary>
    bool GivesLandmarks { get; }

    /// <summary>The faces in <paramref name="image"/>, in no particular order.</summary>
    /// <param name="image">8-bit BGR pixels (a whole frame or a region of one, as a sub-matrix).</param>
    /// <returns>Every face found, with boxes in pixels of <paramref name="image"/>; empty when there is none.</returns>
    IReadOnlyList<FaceDetection> Detect(Mat image);
}
