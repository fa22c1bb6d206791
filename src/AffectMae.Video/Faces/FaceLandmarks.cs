namespace AffectMae.Video.Faces;

/// <summary>A point in pixels of the frame.</summary>
/// <param name="X">Horizontal position.</param>
/// <param name="Y">Vertical position.</param>
public readonly record struct FacePoint(float X, float Y)
{
    /// <summary>The weighted mean <c>weight · next + (1 − weight) · this</c>.</summary>
    /// <param name="next">The newer point.</param>
    /// <param name="weight">Weight of <paramref name="next"/>, in [0, 1].</param>
    /// <returns>The blended point.</returns>
    public FacePoint Blend(FacePoint next, float weight) => new(X + weight * (next.X - X), Y + weight * (next.Y - Y));
}

/// <summary>
/// The five face landmarks YuNet (and RetinaFace) give, in their order. "Right" and "left" are the subject's: on a
/// frontal face the right eye is on the image's left.
/// </summary>
/// <param name="RightEye">Centre of the subject's right eye.</param>
/// <param name="LeftEye">Centre of the subject's left eye.</param>
/// <param name="NoseTip">Tip of the nose.</param>
/// <param name="RightMouthCorner">The subject's right corner of the mouth.</param>
/// <param name="LeftMouthCorner">The subject's left corner of the mouth.</param>
public sealed record FaceLandmarks(
    FacePoint RightEye,
    FacePoint LeftEye,
    FacePoint NoseTip,
    FacePoint RightMouthCorner,
    FacePoint LeftMouthCorner)
{
    /// <summary>
    /// The roll of the face in degrees: the angle of the line from the right eye to the left eye against the image's
    /// x axis, clockwise positive (image y points down). 0 for an upright face; turning the image by this angle
    /// counter-clockwise makes the eyes level.
    /// </summary>
    public double RollDegrees => Math.Atan2(LeftEye.Y - RightEye.Y, LeftEye.X - RightEye.X) * 180.0 / Math.PI;

    /// <summary>Every point mapped by <paramref name="map"/>.</summary>
    /// <param name="map">The point transform.</param>
    /// <returns>The transformed landmarks.</returns>
    public FaceLandmarks Select(Func<FacePoint, FacePoint> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new(map(RightEye), map(LeftEye), map(NoseTip), map(RightMouthCorner), map(LeftMouthCorner));
    }

    /// <summary>Point by point, <c>weight · next + (1 − weight) · this</c>.</summary>
    /// <param name="next">The newer landmarks.</param>
    /// <param name="weight">Weight of <paramref name="next"/>.</param>
    /// <returns>The blended landmarks.</returns>
    public FaceLandmarks Blend(FaceLandmarks next, float weight)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new(
            RightEye.Blend(next.RightEye, weight),
            LeftEye.Blend(next.LeftEye, weight),
            NoseTip.Blend(next.NoseTip, weight),
            RightMouthCorner.Blend(next.RightMouthCorner, weight),
            LeftMouthCorner.Blend(next.LeftMouthCorner, weight));
    }
}
