"""Seed 003's "Key Contacts for CHCNT Medical ASO" table and the addresses its slides name,
copied exactly (phone with prompt, e-mail). The flow's outcomes and the catalog page read them
from here, so a number changes in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

HUSKY_WEBSITE = "www.ct.gov/husky"
PROVIDERS_SITE = "www.huskyhealthct.org/providers"
# The seed's closing slide spells it "http://www.huskyhealthct.otg/providers"; the Key Contacts
# table says www.huskyhealthct.org/providers. We use the table's and show the other as a note.
PROVIDERS_SITE_NOTE = (
    "The presentation's closing slide spells the address “www.huskyhealthct.otg/providers”; its "
    "Key Contacts table gives www.huskyhealthct.org/providers, which is the one shown here."
)
CONSENT_FORM_URL = (
    "http://www.huskyhealthct.org/members/member_postings/member_opt-out/"
    "Sharing_Sensitive_PHI_Consent_Form.pdf"
)
CONSENT_FORM_NAME = "Consent to Disclose Sensitive Health Information Form"


@dataclass(frozen=True)
class Contact:
    section: str
    name: str
    phone: str = ""
    email: str = ""
    fax: str = ""
    web: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        """The contact as the seed prints it, one way of reaching it per line."""
        return tuple(line for line in (
            self.phone and f"☎ {self.phone}",
            self.fax and f"Fax {self.fax}",
            self.email and f"Email: {self.email}",
            self.web,
        ) if line)

    def __str__(self) -> str:
        return f"{self.name} ({self.section}): " + "; ".join(self.lines)


CALL_CENTER = Contact("Provider Call Center", "Telephonic Support", phone="1.800.440.5071")
CALL_CENTER_FAX = Contact("Provider Call Center", "Fax", fax="1.855.755.0855")
ICM_PHONE = Contact("Intensive Care Management (ICM) Referrals", "Telephonic Referrals for ICM",
                    phone="1.800.440.5071, extension 2024")
ICM_FAX = Contact("Intensive Care Management (ICM) Referrals", "Fax Referrals for ICM",
                  fax="1.866.361.7242")
REGISTER_PROVIDER_PORTAL = Contact("Register for the Provider Portals", "Provider Portal",
                                   web=PROVIDERS_SITE)
REGISTER_CLEAR_COVERAGE = Contact("Register for the Provider Portals",
                                  "Medical Authorization Portal (Clear Coverage)",
                                  email="Clearcoveragehelpdesk@chnct.org")
REGISTER_CAREPORTAL = Contact("Register for the Provider Portals",
                              "Advanced Imaging Portal (CAREPortal)",
                              web="https://chnct.careportal.com/")
REGISTER_CAREANALYZER = Contact("Register for the Provider Portals",
                                "CareAnalyzer® Registration and Training",
                                email="Networkmanagement@chnct.org")
TECH_PROVIDER_PORTAL = Contact("Technical Assistance", "Provider Portal",
                               phone="1.877.606.5172 - prompt 1", email="WebSupport@chnct.org")
TECH_CLEAR_COVERAGE = Contact("Technical Assistance",
                              "Medical Authorization Portal (Clear Coverage)",
                              phone="1.877.606.5172 - prompt 3",
                              email="Clearcoveragehelpdesk@chnct.org")
TECH_CAREPORTAL = Contact("Technical Assistance", "Advanced Imaging (CAREPortal)",
                          phone="1.877.606.5172 - prompt 4")
TECH_CAREANALYZER = Contact("Technical Assistance", "CareAnalyzer®",
                            email="CareAnalyzer@chnct.org")

KEY_CONTACTS: tuple[Contact, ...] = (
    CALL_CENTER, CALL_CENTER_FAX, ICM_PHONE, ICM_FAX,
    REGISTER_PROVIDER_PORTAL, REGISTER_CLEAR_COVERAGE, REGISTER_CAREPORTAL, REGISTER_CAREANALYZER,
    TECH_PROVIDER_PORTAL, TECH_CLEAR_COVERAGE, TECH_CAREPORTAL, TECH_CAREANALYZER,
)


def contact_text(*contacts: Contact) -> str:
    return "\n".join(f"• {contact}" for contact in contacts)
