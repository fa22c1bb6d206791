// The hidden state that drives one synthetic frame: where the subject sits in the valence/arousal plane, plus an
// optional short "event" (a burst of disgust, fear, surprise or some other expression) that the circumplex alone
// would not produce. Every label and every pixel of the frame is derived from this state (see README.md).
namespace AffectMae.Cli.Synthetic;

/// <summary>A short hidden episode layered on the valence/arousal trajectory.</summary>
internal enum AffectEvent
{
    /// <summary>No episode: the face follows valence and arousal only.</summary>
    None = 0,

    /// <summary>Disgust: nose wrinkle and upper-lip raise, lowers valence.</summary>
    Disgust = 1,

    /// <summary>Fear: raised and drawn-together brows, wide eyes, parted lips; lowers valence and raises arousal.</summary>
    Fear = 2,

    /// <summary>Surprise: raised brows, wide eyes, dropped jaw; raises arousal.</summary>
    Surprise = 3,

    /// <summary>Another expression: a one-sided smirk with pressed lips; leaves valence and arousal alone.</summary>
    Other = 4,
}

/// <summary>The latent affective state of one frame.</summary>
/// <param name="Valence">Valence in [−1, 1] (also the VA label).</param>
/// <param name="Arousal">Arousal in [−1, 1] (also the VA label).</param>
/// <param name="Event">The episode in progress, or <see cref="AffectEvent.None"/>.</param>
/// <param name="EventStrength">Envelope of the episode in [0, 1]; 0 when <paramref name="Event"/> is <see cref="AffectEvent.None"/>.</param>
internal readonly record struct LatentState(float Valence, float Arousal, AffectEvent Event = AffectEvent.None, float EventStrength = 0f)
{
    /// <summary>The episode strength if the episode is <paramref name="kind"/>, else 0.</summary>
    /// <param name="kind">The episode kind to ask about.</param>
    /// <returns>The strength in [0, 1].</returns>
    public float StrengthOf(AffectEvent kind) => Event == kind && kind != AffectEvent.None ? EventStrength : 0f;
}
