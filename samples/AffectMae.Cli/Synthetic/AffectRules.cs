// The documented rules that turn a latent state into labels and facial geometry (tables in README.md). The same
// FaceParameters feed the renderer and the AU labels, so every label is visible in the pixels.
using AffectMae.Metrics;

namespace AffectMae.Cli.Synthetic;

/// <summary>Rules from a <see cref="LatentState"/> to expression, emotion intensities, face geometry and action units.</summary>
internal static class AffectRules
{
    /// <summary>Valence at or above which a frame without event is <see cref="ExpressionClass.Happiness"/>.</summary>
    public const float HappinessValence = 0.35f;

    /// <summary>Valence at or below which a frame without event is <see cref="ExpressionClass.Anger"/> or <see cref="ExpressionClass.Sadness"/>.</summary>
    public const float NegativeValence = -0.3f;

    /// <summary>Arousal at or above which a negative frame is anger rather than sadness.</summary>
    public const float AngerArousal = 0.15f;

    /// <summary>Event strength at or above which the event names the expression.</summary>
    public const float EventThreshold = 0.5f;

    /// <summary>
    /// Intensity at or above which each AU is present, in the column order of <see cref="AffectLabels.ActionUnitNames"/>:
    /// 0.5 for all but AU25 (lips part, 0.25) and AU26 (jaw drop, 0.6).
    /// </summary>
    public static IReadOnlyList<float> ActionUnitThresholds { get; } =
        [0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f, 0.6f];

    /// <summary>
    /// The expression of a latent state. In order: an event of strength ≥ 0.5 names the class (Disgust, Fear, Surprise,
    /// Other); else valence ≥ 0.35 is Happiness; else valence ≤ −0.3 is Anger when arousal ≥ 0.15 and Sadness otherwise;
    /// everything else is Neutral.
    /// </summary>
    /// <param name="state">The latent state.</param>
    /// <returns>The expression class.</returns>
    public static ExpressionClass Expression(LatentState state)
    {
        if (state.Event != AffectEvent.None && state.EventStrength >= EventThreshold)
        {
            return state.Event switch
            {
                AffectEvent.Disgust => ExpressionClass.Disgust,
                AffectEvent.Fear => ExpressionClass.Fear,
                AffectEvent.Surprise => ExpressionClass.Surprise,
                _ => ExpressionClass.Other,
            };
        }
        if (state.Valence >= HappinessValence) return ExpressionClass.Happiness;
        if (state.Valence <= NegativeValence)
            return state.Arousal >= AngerArousal ? ExpressionClass.Anger : ExpressionClass.Sadness;
        return ExpressionClass.Neutral;
    }

    /// <summary>
    /// Emotion intensities: happiness = ramp(v; 0.05, 0.65); displeasure D = ramp(−v; 0, 0.6); activation H =
    /// ramp(a; −0.15, 0.45); anger = min(D, H); sadness = min(D, 1 − H); the four event emotions are the event strength.
    /// Each ramp is 0.5 exactly on the matching boundary of <see cref="Expression"/>.
    /// </summary>
    /// <param name="state">The latent state.</param>
    /// <returns>The intensities.</returns>
    public static EmotionIntensities Emotions(LatentState state)
    {
        float displeasure = Ramp(-state.Valence, 0f, 0.6f);
        float activation = Ramp(state.Arousal, -0.15f, 0.45f);
        return new EmotionIntensities(
            Happiness: Ramp(state.Valence, 0.05f, 0.65f),
            Anger: MathF.Min(displeasure, activation),
            Sadness: MathF.Min(displeasure, 1f - activation),
            Disgust: state.StrengthOf(AffectEvent.Disgust),
            Fear: state.StrengthOf(AffectEvent.Fear),
            Surprise: state.StrengthOf(AffectEvent.Surprise),
            Other: state.StrengthOf(AffectEvent.Other));
    }

    /// <summary>The facial geometry of a latent state, by the formulas of the AU table in README.md.</summary>
    /// <param name="state">The latent state.</param>
    /// <returns>The face parameters, each in [0, 1].</returns>
    public static FaceParameters Face(LatentState state)
    {
        var e = Emotions(state);
        float cheekRaise = Max(Ramp(e.Happiness, 0.5f, 1f), 0.6f * e.Disgust);
        float lidTighten = Max(0.9f * e.Anger, 0.8f * e.Disgust);
        float lipPress = Max(e.Other, 0.7f * e.Sadness);
        float mouthDrive = Max(Ramp(state.Arousal, 0.3f, 0.9f), e.Surprise, 0.8f * e.Fear);
        float activation = Ramp(state.Arousal, -0.15f, 0.45f);
        float eyeOpening = Math.Clamp(
            0.5f + 0.3f * (activation - 0.5f) + 0.5f * Max(e.Surprise, e.Fear) - 0.3f * cheekRaise - 0.3f * lidTighten,
            0.05f, 1f);
        return new FaceParameters(
            InnerBrowRaise: Max(e.Surprise, e.Fear, 0.8f * e.Sadness),
            OuterBrowRaise: Max(e.Surprise, 0.7f * e.Fear),
            BrowLower: Max(e.Anger, 0.6f * e.Fear, 0.7f * e.Disgust),
            CheekRaise: cheekRaise,
            LidTighten: lidTighten,
            UpperLipRaise: Max(e.Disgust, 0.6f * e.Anger),
            LipCornerPull: e.Happiness,
            LipCornerDepress: Max(e.Sadness, 0.7f * e.Disgust),
            LipTighten: Max(0.8f * e.Anger, 0.6f * e.Other),
            LipPress: lipPress,
            MouthOpen: mouthDrive * (1f - 0.8f * lipPress),
            EyeOpening: eyeOpening,
            Smirk: e.Other);
    }

    /// <summary>
    /// The 12 AU labels (0/1) of a face, in the column order of <see cref="AffectLabels.ActionUnitNames"/>: each AU is
    /// present when its intensity reaches <see cref="ActionUnitThresholds"/>.
    /// </summary>
    /// <param name="face">The face parameters.</param>
    /// <param name="destination">Receives 12 values, each 0 or 1.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> holds fewer than 12 values.</exception>
    public static void ActionUnits(in FaceParameters face, Span<int> destination)
    {
        if (destination.Length < AffectLabels.ActionUnitCount)
            throw new ArgumentException($"Expected room for {AffectLabels.ActionUnitCount} AUs, got {destination.Length}.", nameof(destination));
        ReadOnlySpan<float> intensity =
        [
            face.InnerBrowRaise, face.OuterBrowRaise, face.BrowLower, face.CheekRaise, face.LidTighten, face.UpperLipRaise,
            face.LipCornerPull, face.LipCornerDepress, face.LipTighten, face.LipPress, face.MouthOpen, face.MouthOpen,
        ];
        for (int j = 0; j < AffectLabels.ActionUnitCount; j++)
            destination[j] = intensity[j] >= ActionUnitThresholds[j] ? 1 : 0;
    }

    /// <summary>The 12 AU labels (0/1) of a latent state: <see cref="ActionUnits(in FaceParameters, Span{int})"/> of <see cref="Face"/>.</summary>
    /// <param name="state">The latent state.</param>
    /// <returns>A new array of 12 values.</returns>
    public static int[] ActionUnits(LatentState state)
    {
        var labels = new int[AffectLabels.ActionUnitCount];
        ActionUnits(Face(state), labels);
        return labels;
    }

    /// <summary>ramp(x; lo, hi) = clamp((x − lo) / (hi − lo), 0, 1).</summary>
    /// <param name="x">The input.</param>
    /// <param name="lo">Where the ramp leaves 0.</param>
    /// <param name="hi">Where the ramp reaches 1.</param>
    /// <returns>A value in [0, 1].</returns>
    public static float Ramp(float x, float lo, float hi) => Math.Clamp((x - lo) / (hi - lo), 0f, 1f);

    private static float Max(float a, float b) => MathF.Max(a, b);

    private static float Max(float a, float b, float c) => MathF.Max(a, MathF.Max(b, c));
}
