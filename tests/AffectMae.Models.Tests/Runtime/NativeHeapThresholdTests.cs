using System.Runtime.InteropServices;
using AffectMae.Models.Runtime;
using AffectMae.Models.Tests.Features;

namespace AffectMae.Models.Tests.Runtime;

[Collection(GlobalRngCollection.Name)]   // runs alone: it sets the process's malloc thresholds and counts its mappings
public class NativeHeapThresholdTests
{
    private const int FourMiB = 4 << 20;
    private const int MaxBlocks = 4096;   // 16 GiB of address space, almost all of it never touched

    /// <summary>
    /// glibc serves a block above its mmap threshold with a mapping of its own, unless a free block of the heap fits it;
    /// the chunk header before a block says which (its IS_MMAPPED bit, 0x2 of the size word). Under a 1 MiB threshold
    /// the test takes 4 MiB blocks until one comes mapped, so that no free heap block of that size is left; under the
    /// 32 MiB threshold the library sets, the next 4 MiB block then grows the heap instead.
    /// </summary>
    [Fact]
    public void Blocks_below_the_fixed_mmap_threshold_come_from_the_heap_and_above_it_get_their_own_mapping()
    {
        if (!OperatingSystem.IsLinux()) return;   // glibc only; elsewhere UseFixedThresholds does nothing
        var held = new List<nint>();
        try
        {
            NativeHeap.UseFixedThresholds(mmapThresholdBytes: 1 << 20).Applied.Should().BeTrue();
            while (held.Count < MaxBlocks && (held.Count == 0 || !IsMapped(held[^1])))
                held.Add(Marshal.AllocHGlobal(FourMiB));   // malloc on Linux
            IsMapped(held[^1]).Should().BeTrue($"4 MiB is above a 1 MiB threshold (after {held.Count - 1} blocks from the heap's free space)");

            var thresholds = NativeHeap.UseFixedThresholds();
            thresholds.Applied.Should().BeTrue();
            thresholds.Description.Should().Be("glibc malloc: mmap threshold 32768 KiB, trim threshold 1048576 KiB, fixed");
            held.Add(Marshal.AllocHGlobal(FourMiB));
            IsMapped(held[^1]).Should().BeFalse("4 MiB is below the 32 MiB threshold, so the heap grows for it");
        }
        finally
        {
            foreach (var block in held) Marshal.FreeHGlobal(block);
        }

        NativeHeap.ThresholdsFixed.Should().BeTrue();
        var logger = new ListLogger();
        PrecisionResolver.Resolve(InferencePrecision.Float32, TorchSharp.torch.CPU, logger);
        logger.Lines.Should().ContainSingle("with the thresholds fixed there is nothing to advise").Which.Message.Should().StartWith("Inference precision on cpu");
    }

    [Theory]
    [InlineData(0L, "mmapThresholdBytes")]
    [InlineData(NativeHeap.MaxMmapThresholdBytes + 1, "mmapThresholdBytes")]
    public void An_mmap_threshold_outside_what_glibc_takes_is_refused(long bytes, string parameter)
    {
        var set = () => NativeHeap.UseFixedThresholds(mmapThresholdBytes: bytes);

        set.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == parameter).WithMessage("*between 1 and 33554432 bytes*");
    }

    [Fact]
    public void A_trim_threshold_mallopt_cannot_take_is_refused()
    {
        var set = () => NativeHeap.UseFixedThresholds(trimThresholdBytes: 1L << 31);

        set.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "trimThresholdBytes");
    }

    // glibc's chunk header: the size word sits just before the block; bit 0x2 is IS_MMAPPED.
    private static bool IsMapped(nint block) => (Marshal.ReadInt64(block, -8) & 2) != 0;
}
