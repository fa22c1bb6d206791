// Draws one synthetic face frame with SkiaSharp and encodes it as JPEG. The image is laid out in 100 × 100 units
// whatever its pixel size. Order: background, head (pose, framing), facial parts from FaceParameters, occluder,
// directional shade, then a global brightness gain and per-pixel noise drawn from a per-frame seeded stream, so a
// frame's bytes depend only on its inputs. One renderer per thread; it reuses its bitmap, canvas and paints.
using SkiaSharp;

namespace AffectMae.Cli.Synthetic;

/// <summary>Renders <see cref="FaceParameters"/> under a <see cref="SceneState"/> into square RGB frames and JPEG bytes.</summary>
internal sealed class FaceRenderer : IDisposable
{
    /// <summary>The JPEG quality used when none is given.</summary>
    public const int DefaultJpegQuality = 90;

    /// <summary>How much of the image the face fills: at 1.25 the chin meets the bottom edge, like an aligned crop.</summary>
    private const float Zoom = 1.25f;

    private readonly SKBitmap bitmap;
    private readonly SKCanvas canvas;
    private readonly SKPaint fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
    private readonly SKPath path = new();
    private readonly SKJpegEncoderOptions jpeg;

    /// <summary>Creates a renderer for <paramref name="size"/> × <paramref name="size"/> frames.</summary>
    /// <param name="size">Width and height in pixels, 16 to 1024.</param>
    /// <param name="jpegQuality">JPEG quality, 1 to 100.</param>
    public FaceRenderer(int size, int jpegQuality = DefaultJpegQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        Size = size;
        bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        canvas = new SKCanvas(bitmap);
        jpeg = new SKJpegEncoderOptions(jpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
    }

    /// <summary>Width and height of the frames, in pixels.</summary>
    public int Size { get; }

    /// <summary>Renders a frame and returns it as JPEG bytes.</summary>
    /// <param name="face">The facial geometry.</param>
    /// <param name="look">The subject's appearance.</param>
    /// <param name="scene">Pose, lighting and occlusion.</param>
    /// <param name="noiseSeed">Seed of the frame's pixel noise.</param>
    /// <returns>The encoded frame.</returns>
    public byte[] RenderJpeg(in FaceParameters face, in Appearance look, in SceneState scene, int noiseSeed)
    {
        Render(face, look, scene, noiseSeed);
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(jpeg)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the frame as JPEG.");
        return data.ToArray();
    }

    /// <summary>Renders a frame into the renderer's bitmap, row-major RGBA, and returns a copy of its RGB bytes.</summary>
    /// <param name="face">The facial geometry.</param>
    /// <param name="look">The subject's appearance.</param>
    /// <param name="scene">Pose, lighting and occlusion.</param>
    /// <param name="noiseSeed">Seed of the frame's pixel noise.</param>
    /// <returns>Size × Size × 3 bytes, row-major RGB.</returns>
    public byte[] RenderRgb(in FaceParameters face, in Appearance look, in SceneState scene, int noiseSeed)
    {
        Render(face, look, scene, noiseSeed);
        var rgba = bitmap.PeekPixels().GetPixelSpan<byte>();
        var rgb = new byte[Size * Size * 3];
        for (int p = 0, q = 0; p < rgba.Length; p += 4, q += 3)
        {
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
        }
        return rgb;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        path.Dispose();
        stroke.Dispose();
        fill.Dispose();
        canvas.Dispose();
        bitmap.Dispose();
    }

    private void Render(in FaceParameters face, in Appearance look, in SceneState scene, int noiseSeed)
    {
        canvas.ResetMatrix();
        canvas.Clear(Color(look.Background));
        canvas.Scale(Size / 100f);
        canvas.Save();
        canvas.Translate(50 + scene.ShiftX, 52 + scene.ShiftY);
        canvas.RotateDegrees(scene.Roll);
        canvas.Scale(Zoom * scene.Scale);
        DrawHead(face, look, scene);
        canvas.Restore();
        if (scene.Occluder is { } occluder) DrawOccluder(occluder, look);
        DrawShade(scene);
        canvas.Flush();
        ApplyGainAndNoise(scene.Brightness, look.NoiseSigma, noiseSeed);
    }

    private void DrawHead(in FaceParameters f, in Appearance look, in SceneState scene)
    {
        float turn = MathF.Sin(scene.Yaw);
        float fx = 11f * turn, fy = 25f * scene.Pitch;          // where the facial parts sit as the head turns and nods
        float rx = 28f * look.FaceWidth * (1f - 0.12f * MathF.Abs(turn));
        var skin = Color(look.Skin);
        var hair = Color(look.Hair);
        Fill(hair).DrawOval(0.3f * fx, -10f, rx + 3f, 33f, fill);
        Fill(skin).DrawOval(0.3f * fx, 2f + 1.5f * f.MouthOpen, rx, 36f + 3f * f.MouthOpen, fill);

        float eyeY = fy - 6f;
        for (int side = -1; side <= 1; side += 2)
        {
            float ex = fx + side * 12f;
            float halfHeight = (0.6f + 4.2f * f.EyeOpening) * (1f - scene.EyeClosure);
            if (halfHeight >= 0.5f)
            {
                Fill(SKColors.White).DrawOval(ex, eyeY, 5.5f, halfHeight, fill);
                Fill(new SKColor(40, 30, 30)).DrawCircle(ex + 1.5f * turn, eyeY, MathF.Min(2.4f, halfHeight), fill);
            }
            else
                Stroke(new SKColor(40, 30, 30), 1.2f).DrawLine(ex - 5f, eyeY, ex + 5f, eyeY, stroke);   // the lid line of a shut eye
            Stroke(hair, 2.8f).DrawLine(
                fx + side * (4.5f - 1.5f * f.BrowLower), eyeY - 8f - 6f * f.InnerBrowRaise + 4f * f.BrowLower,
                fx + side * 18f, eyeY - 7.5f - 6f * f.OuterBrowRaise + 1f * f.BrowLower, stroke);
            Fill(new SKColor(225, 90, 95, (byte)(20 + 200 * f.CheekRaise)))
                .DrawCircle(fx + side * 16f, eyeY + 13f - 3f * f.CheekRaise, 5.5f, fill);
            if (f.BrowLower > 0.2f)
                Stroke(Shade(skin, 0.6f, f.BrowLower), 0.9f).DrawLine(fx + side * 1.2f, eyeY - 12f, fx + side * 1.2f, eyeY - 8f, stroke);
            if (f.UpperLipRaise > 0.2f)
                Stroke(Shade(skin, 0.6f, f.UpperLipRaise), 0.9f).DrawLine(fx + side * 1.5f, eyeY + 1f, fx + side * 4f, eyeY + 3f, stroke);
        }

        float nostrilY = eyeY + 10f - 2f * f.UpperLipRaise;
        Stroke(Shade(skin, 0.75f, 1f), 1.2f).DrawLine(fx + turn, eyeY - 2f, fx + 2.5f * turn, nostrilY - 1f, stroke);
        Fill(Shade(skin, 0.55f, 1f)).DrawOval(fx + 2f * turn, nostrilY, 4f + 1.5f * f.UpperLipRaise, 1.6f, fill);
        DrawMouth(f, look, fx, eyeY + 22f + 1.5f * f.MouthOpen);
    }

    private void DrawMouth(in FaceParameters f, in Appearance look, float cx, float cy)
    {
        float halfWidth = 9f + 3f * f.LipCornerPull - 3f * f.LipPress - 2f * f.LipTighten + f.MouthOpen;
        float corner = -6.5f * f.LipCornerPull + 6f * f.LipCornerDepress;   // + is down
        float left = cy + corner - 7f * f.Smirk, right = cy + corner + 1f * f.Smirk;
        float upperMid = cy - 2.5f * f.UpperLipRaise;
        float lowerMid = upperMid + 11f * f.MouthOpen;
        // A quadratic Bézier passes its midpoint at (P0 + 2C + P2) / 4, so C = 2·mid − (P0 + P2) / 2.
        float upperControl = 2f * upperMid - 0.5f * (left + right);
        float lowerControl = 2f * lowerMid - 0.5f * (left + right);

        path.Reset();
        path.MoveTo(cx - halfWidth, left);
        path.QuadTo(cx, upperControl, cx + halfWidth, right);
        path.QuadTo(cx, lowerControl, cx - halfWidth, left);
        path.Close();
        if (f.MouthOpen > 0.02f) Fill(new SKColor(70, 20, 30)).DrawPath(path, fill);
        Stroke(Color(look.Lips), 2.6f - 1.3f * MathF.Max(f.LipPress, f.LipTighten)).DrawPath(path, stroke);
    }

    private void DrawOccluder(in Occluder o, in Appearance look)
    {
        var rect = SKRect.Create(o.X, o.Y, o.Width, o.Height);
        if (o.IsHand) Fill(Shade(Color(look.Skin), 0.9f, 1f)).DrawRoundRect(rect, 6f, 6f, fill);
        else Fill(new SKColor(35, 35, 40)).DrawRect(rect, fill);
    }

    private void DrawShade(in SceneState scene)
    {
        float dx = 50f * MathF.Cos(scene.ShadeAngle), dy = 50f * MathF.Sin(scene.ShadeAngle);
        using var shader = SKShader.CreateLinearGradient(
            new SKPoint(50f - dx, 50f - dy), new SKPoint(50f + dx, 50f + dy),
            [new SKColor(0, 0, 0, (byte)(255 * scene.ShadeStrength)), SKColors.Transparent], SKShaderTileMode.Clamp);
        fill.Color = SKColors.Black;
        fill.Shader = shader;
        canvas.DrawRect(0, 0, 100, 100, fill);
        fill.Shader = null;
    }

    /// <summary>p ← clamp(gain·p + σ·z); z from three random bytes, (Σb − 382.5) / 127.7 ≈ N(0, 1).</summary>
    private void ApplyGainAndNoise(float gain, float sigma, int seed)
    {
        var random = new Random(seed);
        var pixels = bitmap.PeekPixels().GetPixelSpan<byte>();
        float scale = sigma / 127.7f;
        for (int p = 0; p < pixels.Length; p += 4)
        {
            for (int c = 0; c < 3; c++)
            {
                int r = random.Next();
                float z = (r & 0xFF) + ((r >> 8) & 0xFF) + ((r >> 16) & 0xFF) - 382.5f;
                pixels[p + c] = (byte)Math.Clamp((int)MathF.Round(gain * pixels[p + c] + scale * z), 0, 255);
            }
        }
    }

    private SKCanvas Fill(SKColor color)
    {
        fill.Color = color;
        return canvas;
    }

    private SKCanvas Stroke(SKColor color, float width)
    {
        stroke.Color = color;
        stroke.StrokeWidth = width;
        return canvas;
    }

    private static SKColor Color(uint rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    private static SKColor Shade(SKColor color, float factor, float alpha)
        => new((byte)(color.Red * factor), (byte)(color.Green * factor), (byte)(color.Blue * factor), (byte)(255 * Math.Clamp(alpha, 0f, 1f)));
}
