// The label rules checked on hand-picked latent states; each expectation is computed by hand in the comment from the
// formulas in Synthetic/README.md (ramp(x; lo, hi) = clamp((x − lo) / (hi − lo), 0, 1)).
using AffectMae.Cli.Synthetic;
using AffectMae.Metrics;

namespace AffectMae.Cli.Tests;

public sealed class AffectRulesTests
{
    private static int[] PresentAus(LatentState state)
    {
        var labels = AffectRules.ActionUnits(state);
        return [.. Enumerable.Range(0, labels.Length).Where(j => labels[j] == 1).Select(j => AffectLabels.ActionUnitNumbers[j])];
    }

    [Fact]
    public void A_relaxed_state_is_neutral_with_no_action_unit()
    {   // happiness = ramp(0; .05, .65) = 0, displeasure = 0, mouth drive = ramp(0; .3, .9) = 0
        var state = new LatentState(0f, 0f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Neutral);
        PresentAus(state).Should().BeEmpty();
    }

    [Fact]
    public void Strong_happiness_raises_the_cheeks_and_pulls_the_lip_corners()
    {   // happiness = ramp(.8) = 1 → AU12; cheek raise = ramp(1; .5, 1) = 1 → AU6; mouth drive = ramp(.2; .3, .9) = 0
        var state = new LatentState(0.8f, 0.2f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Happiness);
        PresentAus(state).Should().Equal(6, 12);
        AffectRules.Face(state).EyeOpening.Should().BeApproximately(0.225f, 1e-5f);   // .5 + .3·(.5833 − .5) − .3·1
    }

    [Fact]
    public void Mild_happiness_pulls_the_lip_corners_without_raising_the_cheeks()
    {   // happiness = .35/.6 = .583 → AU12; cheek raise = ramp(.583; .5, 1) = .167 < .5
        var state = new LatentState(0.4f, 0f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Happiness);
        PresentAus(state).Should().Equal(12);
    }

    [Fact]
    public void Aroused_displeasure_is_anger_with_lowered_brows_and_tight_lips()
    {   // displeasure = 1, activation = ramp(.6; −.15, .45) = 1 → anger 1: AU4 1, AU7 .9, AU10 .6, AU23 .8;
        // mouth = ramp(.6; .3, .9) = .5 → AU25 (≥ .25) but not AU26 (< .6)
        var state = new LatentState(-0.6f, 0.6f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Anger);
        PresentAus(state).Should().Equal(4, 7, 10, 23, 25);
    }

    [Fact]
    public void Calm_displeasure_is_sadness_with_raised_inner_brows_and_depressed_lip_corners()
    {   // displeasure = 1, activation = 0 → sadness 1: AU1 .8, AU15 1, AU24 .7; mouth drive 0
        var state = new LatentState(-0.6f, -0.6f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Sadness);
        PresentAus(state).Should().Equal(1, 15, 24);
    }

    [Fact]
    public void A_full_surprise_event_raises_both_brows_and_drops_the_jaw()
    {   // surprise 1 → AU1, AU2 = 1, mouth = max(ramp(.6) = .5, 1) = 1 → AU25, AU26; happiness ramp(.1) = .083
        var state = new LatentState(0.1f, 0.6f, AffectEvent.Surprise, 1f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Surprise);
        PresentAus(state).Should().Equal(1, 2, 25, 26);
    }

    [Fact]
    public void A_fear_event_wins_over_the_anger_region_it_falls_in()
    {   // fear 1, anger = min(.75, 1) = .75: AU1 1, AU2 .7, AU4 .75, AU7 .675, AU10 .45 (absent), AU23 .6,
        // mouth = max(.5, .8) = .8 → AU25, AU26
        var state = new LatentState(-0.45f, 0.6f, AffectEvent.Fear, 1f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Fear);
        PresentAus(state).Should().Equal(1, 2, 4, 7, 23, 25, 26);
    }

    [Fact]
    public void A_disgust_event_wrinkles_the_nose_and_depresses_the_lip_corners()
    {   // disgust 1, anger .417, sadness .583: AU1 .467 (absent), AU4 .7, AU6 .6, AU7 .8, AU10 1, AU15 .7,
        // AU23 .333 and AU24 .408 (absent), mouth drive 0
        var state = new LatentState(-0.5f, 0.1f, AffectEvent.Disgust, 1f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Disgust);
        PresentAus(state).Should().Equal(4, 6, 7, 10, 15);
    }

    [Fact]
    public void An_other_event_presses_and_tightens_the_lips_into_a_smirk()
    {   // other 1: AU23 .6, AU24 1, smirk 1, mouth drive 0
        var state = new LatentState(0f, 0f, AffectEvent.Other, 1f);
        AffectRules.Expression(state).Should().Be(ExpressionClass.Other);
        PresentAus(state).Should().Equal(23, 24);
        AffectRules.Face(state).Smirk.Should().Be(1f);
    }

    [Theory]
    [InlineData(0.35f, 0f, 0f, ExpressionClass.Happiness)]
    [InlineData(0.349f, 0f, 0f, ExpressionClass.Neutral)]
    [InlineData(-0.3f, 0.15f, 0f, ExpressionClass.Anger)]
    [InlineData(-0.3f, 0.149f, 0f, ExpressionClass.Sadness)]
    [InlineData(-0.299f, 0.9f, 0f, ExpressionClass.Neutral)]
    [InlineData(0.5f, 0f, 0.499f, ExpressionClass.Happiness)]
    [InlineData(0.5f, 0f, 0.5f, ExpressionClass.Surprise)]
    public void Expression_boundaries_are_inclusive_as_documented(float valence, float arousal, float surprise, ExpressionClass expected)
    {
        var state = surprise > 0 ? new LatentState(valence, arousal, AffectEvent.Surprise, surprise) : new LatentState(valence, arousal);
        AffectRules.Expression(state).Should().Be(expected);
    }

    [Fact]
    public void Emotion_ramps_cross_one_half_exactly_where_the_expression_changes()
    {   // grid points sit between the thresholds (offset .005) so float rounding at a boundary cannot decide
        for (int i = 0; i < 200; i++)
        {
            for (int k = 0; k < 200; k++)
            {
                var state = new LatentState(-0.995f + 0.01f * i, -0.995f + 0.01f * k);
                var expression = AffectRules.Expression(state);
                var e = AffectRules.Emotions(state);
                (expression == ExpressionClass.Happiness).Should().Be(e.Happiness >= 0.5f, "at {0}", state);
                (expression == ExpressionClass.Anger).Should().Be(e.Anger >= 0.5f, "at {0}", state);
                (expression == ExpressionClass.Sadness).Should().Be(e.Sadness > 0.5f, "at {0}", state);
            }
        }
    }

    [Fact]
    public void Each_face_parameter_drives_its_own_action_unit_column()
    {
        var labels = new int[AffectLabels.ActionUnitCount];
        AffectRules.ActionUnits(FaceParameters.Relaxed with { LipCornerPull = 1f }, labels);
        labels.Should().Equal(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
        AffectRules.ActionUnits(FaceParameters.Relaxed with { MouthOpen = 0.3f }, labels);
        labels.Should().Equal(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0);   // lips part (≥ .25), jaw not dropped (< .6)
    }

    [Fact]
    public void Ramp_is_clamped_linear_interpolation()
    {
        AffectRules.Ramp(0.2f, 0f, 0.8f).Should().BeApproximately(0.25f, 1e-6f);
        AffectRules.Ramp(-1f, 0f, 0.8f).Should().Be(0f);
        AffectRules.Ramp(2f, 0f, 0.8f).Should().Be(1f);
    }
}
