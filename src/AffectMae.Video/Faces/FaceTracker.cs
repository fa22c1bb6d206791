using AffectMae.Core.Options;
using OpenCvSharp;

namespace AffectMae.Video.Faces;

/// <summary>
/// Follows one subject through a video: the largest face found first, kept for as long as detections overlap it.
/// </summary>
/// <remarks>
/// <para>Per frame, in order:</para>
/// <list type="number">
/// <item>With a track and fewer than <see cref="FaceTrackerOptions.DetectEvery"/> frames since the last whole-frame
/// search, only the region around the tracked box is searched; otherwise (or when that region shows no matching face)
/// the whole frame is.</item>
/// <item>The detection with the highest IoU with the tracked box, if at least <see cref="FaceTrackerOptions.MinIou"/>,
/// continues the track: box and landmarks are smoothed exponentially. After frames without the face, the nearest face
/// of similar size within a distance that grows with the gap continues it too (a face moves on while it is covered),
/// and smoothing restarts from that detection.</item>
/// <item>Without a match the frame has no face. After more than <see cref="FaceTrackerOptions.MaxMissedFrames"/> such
/// frames in a row the track is dropped; with no track, the largest face of a whole-frame search starts a new one
/// (the subject is the largest face when it first appears, then the face that persists).</item>
/// </list>
/// A tracker is stateful and not thread-safe: one per video, frames in order.
/// </remarks>
public sealed class FaceTracker
{
    private readonly IFaceDetector detector;
    private readonly FaceTrackerOptions options;
    private FaceDetection? track;
    private int framesSinceWholeSearch;
    private int missed;

    /// <summary>A tracker that finds faces with <paramref name="detector"/> (not disposed by the tracker).</summary>
    /// <param name="detector">The face detector.</param>
    /// <param name="options">The tracking settings; validated and copied (a later change to the caller's object changes nothing).</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public FaceTracker(IFaceDetector detector, FaceTrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(detector);
        this.options = OptionsValidation.ValidatedCopy(new FaceTrackerOptionsValidator(), options, nameof(options));
        this.detector = detector;
    }

    /// <summary>How many tracks were started so far (the current one's number).</summary>
    public int TrackNumber { get; private set; }

    /// <summary>Forgets the subject: the next frame is searched whole and its largest face taken.</summary>
    public void Reset()
    {
        track = null;
        missed = 0;
        framesSinceWholeSearch = 0;
    }

    /// <summary>The subject's face in the next frame, or <see langword="null"/> when the frame shows none.</summary>
    /// <param name="frame">The next frame, 8-bit BGR.</param>
    /// <returns>The tracked face, or <see langword="null"/>.</returns>
    public TrackedFace? Next(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        FaceDetection? match = null;
        bool whole = track is null || ++framesSinceWholeSearch >= options.DetectEvery;
        if (!whole)
            match = BestMatch(DetectAround(frame, track!.Box));

        IReadOnlyList<FaceDetection> found = [];
        if (match is null)
        {
            whole = true;
            framesSinceWholeSearch = 0;
            found = detector.Detect(frame);
            match = BestMatch(found);
        }

        if (match is not null)
        {
            // After frames without the face, the old box is stale: start the smoothing afresh from this detection.
            float w = missed > 0 ? 1f : (float)options.Smoothing;
            track = new FaceDetection(
                track!.Box.Blend(match.Box, w),
                match.Score,
                track.Landmarks is { } previous && match.Landmarks is { } next ? previous.Blend(next, w) : match.Landmarks);
            missed = 0;
            return new TrackedFace(track, TrackNumber, whole);
        }

        if (track is not null && ++missed <= options.MaxMissedFrames)
            return null;
        track = null;
        missed = 0;
        if (found.Count == 0)
            return null;
        track = found.MaxBy(f => f.Box.Area)!;
        TrackNumber++;
        return new TrackedFace(track, TrackNumber, WholeFrameSearch: true);
    }

    /// <summary>
    /// The detection that continues the track: the one with the highest IoU with the tracked box if that reaches
    /// MinIou; after frames without the face, also the nearest face of a similar size (area within a factor of
    /// <see cref="ReacquireAreaRatio"/>) whose centre lies within (½ + 0.1 · frames missed) box sides, at most
    /// <see cref="ReacquireMaxSides"/>, of where the face was last seen, since a face moves on while it is hidden.
    /// </summary>
    private FaceDetection? BestMatch(IReadOnlyList<FaceDetection> found)
    {
        if (track is null || found.Count == 0)
            return null;
        var best = found.MaxBy(f => f.Box.IntersectionOverUnion(track.Box))!;
        if (best.Box.IntersectionOverUnion(track.Box) >= options.MinIou)
            return best;
        if (missed == 0)
            return null;

        float side = Math.Max(track.Box.Width, track.Box.Height);
        float reach = side * Math.Min(0.5f + 0.1f * missed, ReacquireMaxSides);
        float Distance(FaceBox b) => MathF.Sqrt(MathF.Pow(b.CenterX - track.Box.CenterX, 2) + MathF.Pow(b.CenterY - track.Box.CenterY, 2));
        bool SimilarSize(FaceBox b) => b.Area <= ReacquireAreaRatio * track.Box.Area && track.Box.Area <= ReacquireAreaRatio * b.Area;
        var nearest = found.Where(f => SimilarSize(f.Box)).MinBy(f => Distance(f.Box));
        return nearest is not null && Distance(nearest.Box) <= reach ? nearest : null;
    }

    /// <summary>Largest area ratio between the lost face and a face taken for it after a gap (a face hardly changes size while covered; a false face next to it often does).</summary>
    private const float ReacquireAreaRatio = 1.5f;

    /// <summary>Farthest a face taken for the lost one after a gap may lie, in box sides.</summary>
    private const float ReacquireMaxSides = 1.5f;

    /// <summary>Detections in the square of side SearchRegionScale × the box's longer side around <paramref name="box"/>, in frame pixels.</summary>
    private IReadOnlyList<FaceDetection> DetectAround(Mat frame, FaceBox box)
    {
        float half = (float)(options.SearchRegionScale * Math.Max(box.Width, box.Height) / 2);
        int left = Math.Max(0, (int)MathF.Floor(box.CenterX - half));
        int top = Math.Max(0, (int)MathF.Floor(box.CenterY - half));
        int right = Math.Min(frame.Width, (int)MathF.Ceiling(box.CenterX + half));
        int bottom = Math.Min(frame.Height, (int)MathF.Ceiling(box.CenterY + half));
        if (right - left < 8 || bottom - top < 8)
            return [];
        using var region = frame[new Rect(left, top, right - left, bottom - top)];
        return detector.Detect(region).Select(f => f with
        {
            Box = f.Box.Offset(left, top),
            Landmarks = f.Landmarks?.Select(p => new FacePoint(p.X + left, p.Y + top)),
        }).ToArray();
    }
}
