namespace AffectMae.Video.Cropping;

/// <summary>The square of the frame a crop shows: centre, side, and the angle it is turned by.</summary>
/// <param name="CenterX">Centre in frame pixels (continuous coordinates: pixel i covers [i, i + 1)).</param>
/// <param name="CenterY">Centre in frame pixels.</param>
/// <param name="Side">Side length in frame pixels.</param>
/// <param name="AngleDegrees">Angle of the square's top edge against the frame's x axis, clockwise positive (image y points down); the face's roll when eyes are aligned, else 0.</param>
public sealed record CropSquare(double CenterX, double CenterY, double Side, double AngleDegrees)
{
    /// <summary>The frame point shown at (<paramref name="u"/>, <paramref name="v"/>) of a crop of <paramref name="size"/> pixels, both in continuous coordinates.</summary>
    /// <param name="u">Horizontal position in the crop, 0 … size.</param>
    /// <param name="v">Vertical position in the crop, 0 … size.</param>
    /// <param name="size">The crop's side in pixels.</param>
    /// <returns>The frame point (x, y).</returns>
    public (double X, double Y) ToFrame(double u, double v, int size)
    {
        double a = AngleDegrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        double px = (u / size - 0.5) * Side, py = (v / size - 0.5) * Side;   // offset from the centre in the crop's axes
        return (CenterX + cos * px - sin * py, CenterY + sin * px + cos * py);
    }
}
