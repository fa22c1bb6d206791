// Blinks: their rate follows arousal, their shape is the documented profile, and they touch nothing but eye closure.
using AffectMae.Cli.Synthetic;

namespace AffectMae.Cli.Tests;

public sealed class BlinksTests
{
    private static SceneState[] BlinkAtConstantArousal(float arousal, int frames, int seed)
    {
        var latent = Enumerable.Repeat(new LatentState(0f, arousal), frames).ToArray();
        var scene = new SceneState[frames];
        Blinks.Apply(new Random(seed), latent, scene);
        return scene;
    }

    /// <summary>Blink starts: a frame at the profile's first closure followed by a fully shut frame.</summary>
    private static int CountBlinks(SceneState[] scene) =>
        Enumerable.Range(0, scene.Length - 1).Count(t => scene[t].EyeClosure == Blinks.Profile[0] && scene[t + 1].EyeClosure == 1f);

    [Theory]
    // A blink cycle is the 5-frame profile plus a wait ⌊Exp(μ)⌋ whose mean is 1 / (e^(1/μ) − 1) ≈ μ − 0.5, with
    // μ = 45·e^(−1.5a). a = +0.5: μ = 21.26, cycle 25.76 frames, 60000 / 25.76 = 2329 blinks.
    //                  a = −0.5: μ = 95.26, cycle 99.76 frames, 60000 / 99.76 = 601 blinks.
    [InlineData(0.5f, 2329)]
    [InlineData(-0.5f, 601)]
    public void Blinks_come_at_the_rate_set_by_arousal(float arousal, int expected)
    {
        int blinks = CountBlinks(BlinkAtConstantArousal(arousal, 60_000, seed: 7));
        blinks.Should().BeCloseTo(expected, (uint)(expected / 10), "the count of a renewal process with that mean cycle");
    }

    [Fact]
    public void The_interval_follows_the_documented_formula()
    {   // 45·e^(−1.5a): 45·e^1.5 = 201.7 at a = −1, 45 at a = 0, 45·e^−1.5 = 10.04 at a = +1
        Blinks.Interval(-1).Should().BeApproximately(201.7, 0.05);
        Blinks.Interval(0).Should().Be(45);
        Blinks.Interval(1).Should().BeApproximately(10.04, 0.005);
    }

    [Fact]
    public void A_blink_follows_the_profile_and_leaves_every_other_scene_field_alone()
    {
        var latent = Enumerable.Repeat(new LatentState(0.2f, 0.3f), 400).ToArray();
        var before = SceneTrajectory.Generate(new Random(3), latent.Length);
        var after = (SceneState[])before.Clone();
        Blinks.Apply(new Random(5), latent, after);

        after.Select((s, t) => s with { EyeClosure = 0 }).Should().Equal(before, "only the eye closure changes");
        int start = Array.FindIndex(after, s => s.EyeClosure > 0);
        start.Should().BeGreaterThanOrEqualTo(0, "400 frames at a = 0.3 (a blink every ~33 frames) hold blinks");
        after.Skip(start).Take(Blinks.Profile.Count).Select(s => s.EyeClosure).Should().Equal(Blinks.Profile);
    }

    [Fact]
    public void A_scene_of_another_length_is_rejected_by_name()
    {
        var act = () => Blinks.Apply(new Random(0), new LatentState[10], new SceneState[9]);
        act.Should().Throw<ArgumentException>().WithParameterName("scene").WithMessage("Expected 10 scene states*got 9*");
    }
}
