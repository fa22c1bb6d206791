using AffectMae.Cli.Synthetic;

namespace AffectMae.Cli.Tests;

public class FacialJitterTests
{
    private static readonly FaceParameters Neutral = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5f, 0);

    [Fact]
    public void The_same_seed_gives_the_same_face_and_another_seed_another()
    {
        FacialJitter.Apply(Neutral, 7).Should().Be(FacialJitter.Apply(Neutral, 7));
        FacialJitter.Apply(Neutral, 7).Should().NotBe(FacialJitter.Apply(Neutral, 8));
    }

    [Fact]
    public void Intensities_stay_in_zero_to_one()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var face = FacialJitter.Apply(new FaceParameters(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), seed);
            new[] { face.InnerBrowRaise, face.MouthOpen, face.EyeOpening, face.Smirk, face.LipPress }.Should().OnlyContain(v => v >= 0 && v <= 1);
        }
    }

    [Fact]
    public void The_noise_averages_out_around_the_drawn_state()
    {
        // EyeOpening 0.5 is far from both clamps, so the mean of 2000 jittered values is 0.5 within a few standard
        // errors: σ/√n = 0.15/√2000 ≈ 0.0034; allow 0.015.
        double mean = Enumerable.Range(0, 2000).Average(seed => FacialJitter.Apply(Neutral, seed).EyeOpening);

        mean.Should().BeApproximately(0.5, 0.015);
    }
}
