namespace AffectMae.Models.Runtime;

/// <summary>
/// The number format a model computes in at inference (feature extraction, prediction). Training always runs in
/// float32. Whatever the precision, inputs are float32 and outputs come back as float32.
/// </summary>
public enum InferencePrecision
{
    /// <summary>32-bit floats throughout: the reference results. The default.</summary>
    Float32 = 0,

    /// <summary>
    /// bfloat16 weights and activations (float32's range, 8 significant bits), with float32 where accuracy is made:
    /// LayerNorm statistics, softmax and matrix products accumulate in float32, and the final pooling, the final norm
    /// and the task heads run in float32. Several times faster than float32 on CPUs with AVX512_BF16 or AMX and on
    /// CUDA GPUs of compute capability 8.0 and later; slower than float32 on other CPUs.
    /// </summary>
    BFloat16 = 1,

    /// <summary>IEEE half precision, kept to the same float32 parts as <see cref="BFloat16"/>. CUDA devices only.</summary>
    Float16 = 2,

    /// <summary>
    /// <see cref="BFloat16"/> where the hardware runs it fast (see <see cref="BFloat16Support"/>), <see cref="Float32"/>
    /// elsewhere; <see cref="PrecisionResolver"/> says which and why.
    /// </summary>
    Auto = 3,
}
