#pragma once
// The exact bytes a receipt's signature covers (README "Signed receipts"): UTF-8 lines
// "name=value\n" after the line "swhub-receipt-v1", in this order, nothing else (no trailing
// space, no carriage return). The receipt carries them in its "signed" field; a partner checks
// that they say what it sent (digest = sha256 of its body) and verifies the signature over them.
//
// A filing (202 of POST /v1/messages):
//   swhub-receipt-v1\n type=message\n message_id=M-...\n partner=ID\n digest=sha256:HEX\n
//   received_at=RFC3339\n cases=C-1,C-2\n
// A decision (200 of POST /v1/agency/decisions):
//   swhub-receipt-v1\n type=decision\n agency=ID\n digest=sha256:HEX (of the request body)\n
//   received_at=RFC3339\n cases=C-1\n decision=clear\n decided_at=RFC3339\n effect=applied\n

#include <string>
#include <vector>

#include "security/receipt_signer.hpp"

namespace swhub::security {

// The lines of a filing receipt up to "cases=" included: the case ids follow, joined by commas,
// then "\n" (a large filing's ids are written as its cases are planned).
std::string filingReceiptHead(const std::string& messageId, const std::string& partner, const std::string& digest,
                              const std::string& receivedAt);
std::string filingReceiptText(const std::string& messageId, const std::string& partner, const std::string& digest,
                              const std::string& receivedAt, const std::vector<std::string>& caseIds);
std::string decisionReceiptText(const std::string& agency, const std::string& digest, const std::string& receivedAt,
                                const std::string& caseId, const std::string& decision, const std::string& decidedAt,
                                const std::string& effect);

// The bytes of `text` inside a JSON string (no quotes): for a signed text written in pieces.
std::string jsonEscaped(const std::string& text);

// ,"signed":"TEXT","signature":"BASE64","signature_alg":"ALG": appended to a receipt object.
std::string signatureFields(const std::string& signedText, const ReceiptSigner& signer);
// The same after the signed text was written: its closing quote and the signature.
std::string signatureTail(const std::string& signature, const ReceiptSigner& signer);

}  // namespace swhub::security
