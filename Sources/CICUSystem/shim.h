// The system ICU as a SwiftPM system library: its pkg-config flags (include path, libraries) for
// the C target CICU. Deliberately declares nothing: ICU's own headers are included only by
// CICU's implementation file, so that no Swift compile ever sees ICU's enums (UErrorCode,
// UScriptCode), which clash with the ICU that Foundation bundles on Linux.
#pragma once
