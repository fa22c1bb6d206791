// The eight expression categories of the ABAW EXPR challenge, in the column order of the annotation header
// "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other".
namespace AffectMae.Metrics;

/// <summary>ABAW expression classes; the numeric value is the class index used in annotation and prediction files.</summary>
public enum ExpressionClass
{
    /// <summary>Neutral face (index 0).</summary>
    Neutral = 0,

    /// <summary>Anger (index 1).</summary>
    Anger = 1,

    /// <summary>Disgust (index 2).</summary>
    Disgust = 2,

    /// <summary>Fear (index 3).</summary>
    Fear = 3,

    /// <summary>Happiness (index 4).</summary>
    Happiness = 4,

    /// <summary>Sadness (index 5).</summary>
    Sadness = 5,

    /// <summary>Surprise (index 6).</summary>
    Surprise = 6,

    /// <summary>Any other expression (index 7).</summary>
    Other = 7,
}
