// The renderer maps each face parameter to its own facial part, and a frame's bytes depend only on its inputs.
using AffectMae.Cli.Synthetic;

namespace AffectMae.Cli.Tests;

public sealed class FaceRendererTests
{
    private const int Size = 64;
    private static readonly Appearance Look = new(0xE0AC8A, 0x4A3222, 0xB0505A, 0x708090, FaceWidth: 1f, NoiseSigma: 0f);
    private static readonly SceneState Still = new(0, 0, 0, 0, 0, Scale: 1, Brightness: 1, ShadeAngle: 0, ShadeStrength: 0, Occluder: null);

    /// <summary>Rows (of <see cref="Size"/>) in which two RGB frames differ.</summary>
    private static int[] RowsThatDiffer(byte[] a, byte[] b)
        => [.. Enumerable.Range(0, Size).Where(y => !a.AsSpan(3 * Size * y, 3 * Size).SequenceEqual(b.AsSpan(3 * Size * y, 3 * Size)))];

    [Fact]
    public void Rendering_the_same_inputs_twice_gives_the_same_jpeg_bytes()
    {
        var scene = Still with { Yaw = 0.2f, Roll = 3f, Brightness = 0.9f, ShadeStrength = 0.3f };
        var face = AffectRules.Face(new LatentState(0.5f, 0.4f));
        using var first = new FaceRenderer(Size);
        using var second = new FaceRenderer(Size);
        byte[] jpeg = first.RenderJpeg(face, Look with { NoiseSigma = 5 }, scene, noiseSeed: 42);
        second.RenderJpeg(face, Look with { NoiseSigma = 5 }, scene, noiseSeed: 42).Should().Equal(jpeg);
        first.RenderJpeg(face, Look with { NoiseSigma = 5 }, scene, noiseSeed: 43).Should().NotEqual(jpeg, "the noise follows its seed");
    }

    [Fact]
    public void Pulling_the_lip_corners_changes_only_the_lower_face()
    {   // the mouth sits at 52 + 1.25·16 = 72 of 100 units; its corners rise by at most 1.25·6.5 ≈ 8 units
        using var renderer = new FaceRenderer(Size);
        byte[] relaxed = renderer.RenderRgb(FaceParameters.Relaxed, Look, Still, noiseSeed: 0);
        byte[] smiling = renderer.RenderRgb(FaceParameters.Relaxed with { LipCornerPull = 1f }, Look, Still, noiseSeed: 0);
        var rows = RowsThatDiffer(relaxed, smiling);
        rows.Should().NotBeEmpty();
        rows.Min().Should().BeGreaterThan(Size * 55 / 100);
    }

    [Fact]
    public void Raising_the_inner_brows_changes_only_the_upper_face()
    {   // brows sit at 52 + 1.25·(−14) ≈ 34 of 100 units and rise by at most 1.25·6 = 7.5 units
        using var renderer = new FaceRenderer(Size);
        byte[] relaxed = renderer.RenderRgb(FaceParameters.Relaxed, Look, Still, noiseSeed: 0);
        byte[] raised = renderer.RenderRgb(FaceParameters.Relaxed with { InnerBrowRaise = 1f }, Look, Still, noiseSeed: 0);
        var rows = RowsThatDiffer(relaxed, raised);
        rows.Should().NotBeEmpty();
        rows.Max().Should().BeLessThan(Size * 45 / 100);
    }

    [Fact]
    public void A_blink_changes_only_the_eye_rows()
    {   // the eyes sit at 52 + 1.25·(−6) = 44.5 of 100 units, at most 1.25·(0.6 + 4.2) = 6 units high either side
        using var renderer = new FaceRenderer(Size);
        byte[] open = renderer.RenderRgb(FaceParameters.Relaxed, Look, Still, noiseSeed: 0);
        byte[] shut = renderer.RenderRgb(FaceParameters.Relaxed, Look, Still with { EyeClosure = 1f }, noiseSeed: 0);
        var rows = RowsThatDiffer(open, shut);
        rows.Should().NotBeEmpty();
        rows.Min().Should().BeGreaterThan(Size * 36 / 100);
        rows.Max().Should().BeLessThan(Size * 53 / 100);
    }

    [Fact]
    public void Sizes_outside_16_to_1024_pixels_are_rejected()
    {
        FluentActions.Invoking(() => new FaceRenderer(8)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new FaceRenderer(64, jpegQuality: 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
