// Compiled by MSBuild's RoslynCodeTaskFactory from AffectMae.Models.targets, and into the Models tests.
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 13's libstdc++ and records a need for
// GLIBCXX_3.4.32 on a single symbol (_ZSt21ios_base_library_initv) that no relocation uses. Debian 12 and
// Ubuntu 22.04 ship libstdc++ up to GLIBCXX_3.4.30, so the dynamic loader refuses the whole library. Marking that
// version requirement weak (VER_FLG_WEAK in the Vernaux entry of .gnu.version_r) tells glibc to treat a missing
// version as non-fatal; nothing else in the file changes.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace AffectMae.Build
{
    /// <summary>Reads and edits the version requirements (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF file.</summary>
    public static class ElfVersionNeeds
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>One Vernaux entry: a version (e.g. GLIBCXX_3.4.32) needed from a library (e.g. libstdc++.so.6).</summary>
        public sealed class Requirement
        {
            /// <summary>Creates a requirement record.</summary>
            public Requirement(string library, string version, ushort flags, long flagsOffset)
            {
                Library = library; Version = version; Flags = flags; FlagsOffset = flagsOffset;
            }

            /// <summary>The library that must provide the version.</summary>
            public string Library { get; }
            /// <summary>The version name.</summary>
            public string Version { get; }
            /// <summary>The <c>vna_flags</c> field.</summary>
            public ushort Flags { get; }
            /// <summary>File offset of <c>vna_flags</c>.</summary>
            public long FlagsOffset { get; }
            /// <summary>Whether the loader treats the version as optional.</summary>
            public bool IsWeak => (Flags & VerFlgWeak) != 0;
        }

        /// <summary>Lists every version requirement in the file.</summary>
        /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file or its tables are out of bounds.</exception>
        public static IReadOnlyList<Requirement> Read(byte[] elf, string fileName)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException(fileName + ": not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException(fileName + ": only 64-bit little-endian ELF files are supported.");

            long sectionHeaders = (long)U64(elf, 0x28, fileName);
            int sectionHeaderSize = U16(elf, 0x3A, fileName);
            int sectionCount = U16(elf, 0x3C, fileName);
            var requirements = new List<Requirement>();
            for (int s = 0; s < sectionCount; s++)
            {
                long header = sectionHeaders + (long)s * sectionHeaderSize;
                if (U32(elf, header + 0x04, fileName) != ShtGnuVerneed) continue;

                long tableOffset = (long)U64(elf, header + 0x18, fileName);
                long stringsHeader = sectionHeaders + (long)U32(elf, header + 0x28, fileName) * sectionHeaderSize;
                long strings = (long)U64(elf, stringsHeader + 0x18, fileName);
                uint entryCount = U32(elf, header + 0x2C, fileName);

                long verneed = tableOffset;
                for (uint e = 0; e < entryCount; e++)
                {
                    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                    int auxCount = U16(elf, verneed + 2, fileName);
                    string library = CString(elf, strings + U32(elf, verneed + 4, fileName), fileName);
                    long vernaux = verneed + U32(elf, verneed + 8, fileName);
                    for (int a = 0; a < auxCount; a++)
                    {
                        // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                        string version = CString(elf, strings + U32(elf, vernaux + 8, fileName), fileName);
                        requirements.Add(new Requirement(library, version, U16(elf, vernaux + 4, fileName), vernaux + 4));
                        vernaux += U32(elf, vernaux + 12, fileName);
                    }
                    uint next = U32(elf, verneed + 12, fileName);
                    if (next == 0) break;
                    verneed += next;
                }
            }
            return requirements;
        }

        /// <summary>
        /// Marks the named version requirements weak. Returns the versions that changed; an empty list means the
        /// bytes are untouched (already weak, or not needed), so running it twice changes nothing.
        /// </summary>
        public static IReadOnlyList<string> MarkWeak(byte[] elf, string fileName, ICollection<string> versions)
        {
            var changed = new List<string>();
            foreach (var requirement in Read(elf, fileName))
            {
                if (!versions.Contains(requirement.Version) || requirement.IsWeak) continue;
                ushort flags = (ushort)(requirement.Flags | VerFlgWeak);
                elf[requirement.FlagsOffset] = (byte)flags;
                elf[requirement.FlagsOffset + 1] = (byte)(flags >> 8);
                changed.Add(requirement.Version);
            }
            return changed;
        }

        /// <summary>
        /// Patches a file in place through a temporary file and a rename, so a hard link into the NuGet cache is
        /// replaced rather than written through. Returns the versions that changed.
        /// </summary>
        public static IReadOnlyList<string> MarkWeak(string path, ICollection<string> versions)
        {
            byte[] elf = File.ReadAllBytes(path);
            var changed = MarkWeak(elf, path, versions);
            if (changed.Count == 0) return changed;
            string temporary = path + ".affectmae-" + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                File.WriteAllBytes(temporary, elf);
                // The factory compiles against netstandard2.0, which has no File.Move overwrite; Replace renames over the target.
                File.Replace(temporary, path, null);
            }
            finally
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            return changed;
        }

        private static void Check(byte[] elf, long offset, int size, string fileName)
        {
            if (offset < 0 || offset + size > elf.Length)
                throw new InvalidDataException(fileName + ": ELF table entry at offset " + offset + " lies outside the file.");
        }

        private static ushort U16(byte[] b, long o, string f) { Check(b, o, 2, f); return (ushort)(b[o] | b[o + 1] << 8); }

        private static uint U32(byte[] b, long o, string f) { Check(b, o, 4, f); return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }

        private static ulong U64(byte[] b, long o, string f) => U32(b, o, f) | (ulong)U32(b, o + 4, f) << 32;

        private static string CString(byte[] b, long o, string f)
        {
            long end = o;
            while (true) { Check(b, end, 1, f); if (b[end] == 0) break; end++; }
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }

#if !AFFECTMAE_NO_MSBUILD_TASK
    /// <summary>MSBuild task: marks the given GLIBCXX version needs weak in every copy of TorchSharp's native library.</summary>
    public class WeakenElfVersionNeeds : Microsoft.Build.Utilities.Task
    {
        /// <summary>The copied <c>libLibTorchSharp.so</c> files (never the NuGet cache).</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Semicolon-separated version names to mark weak.</summary>
        [Microsoft.Build.Framework.Required]
        public string Versions { get; set; } = "";

        /// <inheritdoc />
        public override bool Execute()
        {
            var versions = new HashSet<string>(Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries));
            foreach (var item in Files)
            {
                string path = item.GetMetadata("FullPath");
                try
                {
                    var changed = ElfVersionNeeds.MarkWeak(path, versions);
                    if (changed.Count > 0)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                            "AffectMae: marked " + string.Join(", ", changed) + " weak in " + path);
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
                {
                    Log.LogError("AffectMae: could not patch " + path + ": " + e.Message
                        + " Set AffectMaeWeakenTorchSharpGlibcxx=false to skip this step.");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
