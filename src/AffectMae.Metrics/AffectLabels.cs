// Label sets and "unlabelled" markers of the Aff-Wild2 / ABAW annotation files (see ABAW_FORMATS.md).
namespace AffectMae.Metrics;

/// <summary>The fixed ABAW label sets and the markers that flag an unlabelled frame.</summary>
public static class AffectLabels
{
    /// <summary>Values a frame of the valence/arousal task (2): valence, then arousal.</summary>
    public const int ValenceArousalCount = 2;

    /// <summary>Number of expression classes (8): Neutral … Other, see <see cref="ExpressionClass"/>.</summary>
    public const int ExpressionClassCount = 8;

    /// <summary>Number of action units scored by ABAW (12).</summary>
    public const int ActionUnitCount = 12;

    /// <summary>The value (−5) written for an unlabelled frame in a valence/arousal file.</summary>
    /// <remarks>Any value below −1 is treated as unlabelled, see <see cref="IsUnlabelledValenceArousal"/>.</remarks>
    public const float UnlabelledValenceArousal = -5f;

    /// <summary>The class index (−1) written for an unlabelled frame in an expression file.</summary>
    public const int UnlabelledExpression = -1;

    /// <summary>The value (−1) written for an unlabelled action unit in an AU file.</summary>
    public const int UnlabelledActionUnit = -1;

    /// <summary>Expression class names in index order, as in the EXPR annotation header.</summary>
    public static IReadOnlyList<string> ExpressionNames { get; } =
        ["Neutral", "Anger", "Disgust", "Fear", "Happiness", "Sadness", "Surprise", "Other"];

    /// <summary>FACS numbers of the 12 scored action units in column order: 1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26.</summary>
    public static IReadOnlyList<int> ActionUnitNumbers { get; } = [1, 2, 4, 6, 7, 10, 12, 15, 23, 24, 25, 26];

    /// <summary>Action-unit column names in order, as in the AU annotation header ("AU1", "AU2", "AU4", …, "AU26").</summary>
    public static IReadOnlyList<string> ActionUnitNames { get; } =
        ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"];

    /// <summary>Whether a gold valence or arousal value marks an unlabelled frame: any value below −1 (the files use −5).</summary>
    /// <param name="value">A gold valence or arousal value.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> &lt; −1.</returns>
    public static bool IsUnlabelledValenceArousal(double value) => value < -1;

    /// <summary>Whether a gold expression label is the unlabelled marker −1.</summary>
    /// <param name="label">A gold class index.</param>
    /// <returns><see langword="true"/> when <paramref name="label"/> is −1.</returns>
    public static bool IsUnlabelledExpression(int label) => label == UnlabelledExpression;

    /// <summary>Whether a gold action-unit value is the unlabelled marker −1.</summary>
    /// <param name="value">A gold AU value.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is −1.</returns>
    public static bool IsUnlabelledActionUnit(int value) => value == UnlabelledActionUnit;
}
