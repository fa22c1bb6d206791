using System.Runtime;

namespace AffectMae.Models.Runtime;

/// <summary>
/// Holds off garbage collections while tensor work runs, to close a use-after-free window in TorchSharp 0.107.
/// </summary>
/// <remarks>
/// TorchSharp turns numbers into temporary <c>Scalar</c> objects (every <c>a + b</c> passes an implicit alpha of 1;
/// AdamW's step passes β and the learning rate) and hands their native handles to libtorch without keeping the
/// managed objects alive (dotnet/TorchSharp#1434). A collection started by another thread during that native call can
/// finalize the Scalar and free it while libtorch reads it: the run then fails with "Expected false to be true" from
/// <c>c10::Scalar::toFloat</c>, or silently computes with a garbage value. A no-GC region for the length of a batch
/// keeps collections (and so finalizers) out of that window; collections resume between batches. The pause is shared
/// by all threads and reference-counted. If the budget runs out the runtime collects anyway; nothing breaks, the window
/// is merely open again until the pause ends.
/// </remarks>
public static class CollectionPause
{
    /// <summary>Bytes the runtime reserves for allocations during a pause. <value>The default value is 256 MiB.</value></summary>
    public const long DefaultBudget = 256L << 20;

    private static readonly object Gate = new();
    private static int holders;
    private static bool started;

    /// <summary>Starts (or joins) a pause; dispose the result when the batch is done.</summary>
    public static Scope Begin()
    {
        lock (Gate)
        {
            if (holders++ == 0)
                started = TryStart(DefaultBudget) || TryStart(DefaultBudget / 4);
        }
        return new Scope(true);
    }

    /// <summary>Whether a pause is in force now.</summary>
    public static bool IsActive => GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    private static bool TryStart(long budget)
    {
        if (IsActive) return false;   // someone else's no-GC region: leave it alone
        try
        {
            return GC.TryStartNoGCRegion(budget);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;             // budget larger than this runtime allows
        }
        catch (InvalidOperationException)
        {
            return false;             // a region is already in progress
        }
    }

    private static void End()
    {
        lock (Gate)
        {
            if (--holders > 0 || !started) return;
            started = false;
            if (IsActive)
            {
                try
                {
                    GC.EndNoGCRegion();
                }
                catch (InvalidOperationException)
                {
                    // The budget ran out and the runtime already collected; the region is over.
                }
            }
        }
    }

    /// <summary>One holder of the pause.</summary>
    public struct Scope : IDisposable
    {
        private bool held;

        internal Scope(bool held) => this.held = held;

        /// <summary>Releases this holder; the last one lets collections run again.</summary>
        public void Dispose()
        {
            if (!held) return;
            held = false;
            End();
        }
    }
}
