// How strongly each basic emotion is expressed in one latent state, each in [0, 1]. Happiness, anger and sadness come
// from the valence/arousal plane through ramps whose midpoints (0.5) sit exactly on the expression boundaries of
// AffectRules.Expression; disgust, fear, surprise and "other" are the strength of the matching hidden event.
namespace AffectMae.Cli.Synthetic;

/// <summary>Emotion intensities in [0, 1] derived from a <see cref="LatentState"/> (see <see cref="AffectRules.Emotions"/>).</summary>
/// <param name="Happiness">ramp(v; 0.05, 0.65): 0.5 at v = 0.35.</param>
/// <param name="Anger">min(displeasure, activation).</param>
/// <param name="Sadness">min(displeasure, 1 − activation).</param>
/// <param name="Disgust">Strength of a disgust event.</param>
/// <param name="Fear">Strength of a fear event.</param>
/// <param name="Surprise">Strength of a surprise event.</param>
/// <param name="Other">Strength of an "other" event.</param>
internal readonly record struct EmotionIntensities(
    float Happiness,
    float Anger,
    float Sadness,
    float Disgust,
    float Fear,
    float Surprise,
    float Other);
