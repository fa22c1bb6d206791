using AffectMae.Core.Data;
using AffectMae.Core.Options;
using AffectMae.Video.Faces;
using OpenCvSharp;
using SkiaSharp;

namespace AffectMae.Video.Cropping;

/// <summary>
/// Cuts the face out of a frame by the rule of <see cref="FaceCropOptions"/>: the square of side
/// (1 + 2 · Margin) · max(w, h) centred on the box (moved by CenterShift along the face's vertical), turned by the
/// eyes' roll when landmarks are known and <see cref="FaceCropOptions.AlignEyes"/> is on, resampled to
/// OutputSize² pixels.
/// </summary>
/// <remarks>
/// One affine warp maps the square onto the output (bilinear). When the square is larger than the output, the warp
/// first renders it at its own resolution and an area-averaging resize shrinks it, so small crops of large faces do not
/// alias. Pixels outside the frame are black or replicated (<see cref="FaceCropOptions.Border"/>). Thread-safe: the
/// cropper holds only its options.
/// </remarks>
public sealed class FaceCropper
{
    /// <summary>A cropper with the given rule.</summary>
    /// <param name="options">The crop settings; validated and copied (a later change to the caller's object changes nothing).</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public FaceCropper(FaceCropOptions options)
    {
        Options = OptionsValidation.ValidatedCopy(new FaceCropOptionsValidator(), options, nameof(options));
    }

    /// <summary>The crop rule (the cropper's own copy: do not change it).</summary>
    public FaceCropOptions Options { get; }

    /// <summary>The square a face box (and its landmarks) is cropped to.</summary>
    /// <param name="box">The face box in frame pixels.</param>
    /// <param name="landmarks">The landmarks, used for the angle when <see cref="FaceCropOptions.AlignEyes"/> is on.</param>
    /// <returns>The square's centre, side and angle.</returns>
    public CropSquare SquareFor(FaceBox box, FaceLandmarks? landmarks = null)
    {
        double s = Math.Max(box.Width, box.Height);
        double angle = Options.AlignEyes && landmarks is not null ? landmarks.RollDegrees : 0;
        double a = angle * Math.PI / 180, shift = Options.CenterShift * s;
        // The face's own "down" is (−sin a, cos a) in frame axes.
        return new CropSquare(box.CenterX - shift * Math.Sin(a), box.CenterY + shift * Math.Cos(a), (1 + 2 * Options.Margin) * s, angle);
    }

    /// <summary>The crop of <paramref name="frame"/> for a face, in the frame's BGR.</summary>
    /// <param name="frame">The frame, 8-bit BGR.</param>
    /// <param name="box">The face box.</param>
    /// <param name="landmarks">The landmarks, if the detector gave them.</param>
    /// <returns>An OutputSize × OutputSize BGR image; the caller disposes it.</returns>
    public Mat Crop(Mat frame, FaceBox box, FaceLandmarks? landmarks = null) => Crop(frame, SquareFor(box, landmarks));

    /// <summary>The crop of <paramref name="frame"/> showing <paramref name="square"/>, in the frame's BGR.</summary>
    /// <param name="frame">The frame, 8-bit BGR.</param>
    /// <param name="square">The square to show.</param>
    /// <returns>An OutputSize × OutputSize BGR image; the caller disposes it.</returns>
    public Mat Crop(Mat frame, CropSquare square)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(square);
        if (!(square.Side > 0) || !double.IsFinite(square.CenterX) || !double.IsFinite(square.CenterY) || !double.IsFinite(square.AngleDegrees))
            throw new ArgumentException($"The crop square must have a positive side and finite centre and angle; it is {square}.", nameof(square));
        int output = Options.OutputSize;
        // Render at the square's own resolution when it is larger than the output (up to 8 × the output, which bounds
        // the memory for huge faces), then shrink by area averaging.
        int rendered = (int)Math.Min(Math.Max(output, Math.Ceiling(square.Side)), 8 * output);

        // Inverse map, crop pixel (u, v) → frame point. Pixel centres: crop pixel u is centred at u + 0.5 in continuous
        // coordinates, and OpenCV puts frame pixel i's centre at i, so subtract 0.5 on the frame side.
        double step = square.Side / rendered;
        double a = square.AngleDegrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        var (x0, y0) = square.ToFrame(0.5, 0.5, rendered);   // centre of crop pixel (0, 0)
        using var map = Mat.FromPixelData(2, 3, MatType.CV_64FC1, new[]
        {
            cos * step, -sin * step, x0 - 0.5,
            sin * step, cos * step, y0 - 0.5,
        });
        var border = Options.Border == CropBorder.Replicate ? BorderTypes.Replicate : BorderTypes.Constant;
        var crop = new Mat();
        Cv2.WarpAffine(frame, crop, map, new Size(rendered, rendered), InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, border, Scalar.Black);
        if (rendered != output)
            Cv2.Resize(crop, crop, new Size(output, output), 0, 0, InterpolationFlags.Area);
        return crop;
    }

    /// <summary>The crop as a SkiaSharp bitmap, as AffectMae.Models' image pipeline takes images.</summary>
    /// <param name="frame">The frame, 8-bit BGR.</param>
    /// <param name="box">The face box.</param>
    /// <param name="landmarks">The landmarks, if the detector gave them.</param>
    /// <returns>An OutputSize² <see cref="SKColorType.Rgba8888"/>, <see cref="SKAlphaType.Unpremul"/> bitmap; the caller disposes it.</returns>
    public SKBitmap CropToBitmap(Mat frame, FaceBox box, FaceLandmarks? landmarks = null)
    {
        using var crop = Crop(frame, box, landmarks);
        return BgrImages.ToBitmap(crop);
    }
}
