// Argument checks shared by every metric. Each throws ArgumentException (or ArgumentOutOfRangeException)
// with the offending parameter's name, so callers can tell which span was wrong.
using System.Numerics;

namespace AffectMae.Metrics;

internal static class Guard
{
    public static void SameLength(int predictionCount, int goldCount, string goldParamName)
    {
        if (predictionCount != goldCount)
        {
            throw new ArgumentException(
                $"Expected as many gold values as predictions ({predictionCount}), got {goldCount}.", goldParamName);
        }
    }

    public static void NotEmpty(long labelledCount, string paramName)
    {
        if (labelledCount == 0)
        {
            throw new ArgumentException("No labelled values to score (empty input, or every frame is unlabelled).", paramName);
        }
    }

    public static void Finite<T>(ReadOnlySpan<T> values, string paramName)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new ArgumentException($"Value at index {i} is {values[i]}; metrics need finite values.", paramName);
            }
        }
    }

    /// <summary>Checks that a row-major [rows, columns] span has a whole number of rows.</summary>
    public static void WholeRows(int length, int columns, string paramName)
    {
        if (length % columns != 0)
        {
            throw new ArgumentException(
                $"Length {length} is not a multiple of {columns} columns (expected row-major [frames, {columns}]).", paramName);
        }
    }

    /// <summary>Predictions must be class indices in [0, classCount); gold may also be the unlabelled marker −1.</summary>
    public static void ClassLabels(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold, int classCount)
    {
        for (int i = 0; i < predictions.Length; i++)
        {
            if ((uint)predictions[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(predictions), predictions[i], $"Prediction at index {i} is not a class index in [0, {classCount}).");
            }

            if ((uint)gold[i] >= (uint)classCount && !AffectLabels.IsUnlabelledExpression(gold[i]))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(gold), gold[i], $"Gold label at index {i} is neither a class index in [0, {classCount}) nor the unlabelled marker -1.");
            }
        }
    }

    /// <summary>Binary predictions must be 0 or 1.</summary>
    public static void BinaryPredictions(ReadOnlySpan<int> predictions, int columns)
    {
        for (int i = 0; i < predictions.Length; i++)
        {
            if ((uint)predictions[i] > 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(predictions), predictions[i], $"Prediction at frame {i / columns}, unit {i % columns} is not 0 or 1.");
            }
        }
    }

    /// <summary>Binary gold values must be 0, 1 or the unlabelled marker −1.</summary>
    public static void BinaryGold(ReadOnlySpan<int> gold, int columns)
    {
        for (int i = 0; i < gold.Length; i++)
        {
            if ((uint)gold[i] > 1 && !AffectLabels.IsUnlabelledActionUnit(gold[i]))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(gold), gold[i], $"Gold value at frame {i / columns}, unit {i % columns} is not 0, 1 or the unlabelled marker -1.");
            }
        }
    }
}
