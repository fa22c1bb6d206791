using AffectMae.Models.Runtime;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Runtime;

[Collection(GlobalRngCollection.Name)]   // runs alone: it reads the process's resident memory
public class NativeHeapTests
{
    /// <summary>
    /// 2,000 tensors of 64 KiB (below glibc's mmap threshold, so they come from the heap) are freed except the last,
    /// which pins the heap's top: without malloc_trim the 125 MiB below it stay resident; with it, they go back.
    /// </summary>
    [Fact]
    public void Freed_heap_pages_below_a_live_block_go_back_to_the_system()
    {
        if (!OperatingSystem.IsLinux()) return;   // glibc only; elsewhere ReturnFreedMemory does nothing
        NativeHeap.ReturnFreedMemory();
        var tensors = Enumerable.Range(0, 2000).Select(_ => ones(16384)).ToList();   // 64 KiB each, touched
        var last = tensors[^1];
        foreach (var t in tensors.Take(tensors.Count - 1)) t.Dispose();
        double before = ResidentMiB();

        bool returned = NativeHeap.ReturnFreedMemory();

        double after = ResidentMiB();
        last.Dispose();
        returned.Should().BeTrue();
        (before - after).Should().BeGreaterThan(64, $"most of the 125 MiB freed go back (resident {before:F0} → {after:F0} MiB)");
    }

    private static double ResidentMiB() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
}
