namespace AffectMae.Video.Faces;

/// <summary>An axis-aligned face box in pixels of the frame: top-left corner, width and height.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width (positive).</param>
/// <param name="Height">Height (positive).</param>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    /// <summary>Right edge, <see cref="X"/> + <see cref="Width"/>.</summary>
    public float Right => X + Width;

    /// <summary>Bottom edge, <see cref="Y"/> + <see cref="Height"/>.</summary>
    public float Bottom => Y + Height;

    /// <summary>Horizontal centre.</summary>
    public float CenterX => X + Width / 2;

    /// <summary>Vertical centre.</summary>
    public float CenterY => Y + Height / 2;

    /// <summary>Width × height (0 for an empty box).</summary>
    public float Area => Math.Max(Width, 0) * Math.Max(Height, 0);

    /// <summary>Intersection over union with <paramref name="other"/>: |A ∩ B| / |A ∪ B|, 0 when they do not overlap.</summary>
    /// <param name="other">The other box.</param>
    /// <returns>A value in [0, 1].</returns>
    public float IntersectionOverUnion(FaceBox other)
    {
        float w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        float h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0)
            return 0;
        float intersection = w * h;
        return intersection / (Area + other.Area - intersection);
    }

    /// <summary>This box with every coordinate multiplied by <paramref name="factor"/> (a frame resized by that factor).</summary>
    /// <param name="factor">The scale factor.</param>
    /// <returns>The scaled box.</returns>
    public FaceBox Scale(float factor) => new(X * factor, Y * factor, Width * factor, Height * factor);

    /// <summary>This box moved by (<paramref name="dx"/>, <paramref name="dy"/>).</summary>
    /// <param name="dx">Horizontal shift.</param>
    /// <param name="dy">Vertical shift.</param>
    /// <returns>The moved box.</returns>
    public FaceBox Offset(float dx, float dy) => new(X + dx, Y + dy, Width, Height);

    /// <summary>The weighted mean <c>weight · next + (1 − weight) · this</c>, coordinate by coordinate (exponential smoothing).</summary>
    /// <param name="next">The newer box.</param>
    /// <param name="weight">Weight of <paramref name="next"/>, in [0, 1].</param>
    /// <returns>The blended box.</returns>
    public FaceBox Blend(FaceBox next, float weight) => new(
        X + weight * (next.X - X),
        Y + weight * (next.Y - Y),
        Width + weight * (next.Width - Width),
        Height + weight * (next.Height - Height));
}
