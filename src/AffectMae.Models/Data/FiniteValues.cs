using System.Numerics;
using System.Runtime.InteropServices;

namespace AffectMae.Models.Data;

/// <summary>Finds NaN and ±∞ in float arrays, a vector of floats at a time (x − x is 0 exactly when x is finite).</summary>
internal static class FiniteValues
{
    /// <summary>The index of the first NaN or ±∞ in <paramref name="values"/>, or −1 when every value is finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int start = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            int v = 0;
            while (v < vectors.Length && Vector.EqualsAll(vectors[v] - vectors[v], Vector<float>.Zero)) v++;
            start = v * Vector<float>.Count;   // the first vector with a non-finite value, or the scalar tail
        }
        for (int i = start; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }
        return -1;
    }
}
